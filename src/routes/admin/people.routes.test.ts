import { expect, it } from 'vitest';
import { newId } from '../../db/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

describeEachDatabase('administration of people: pages and refused input', (store) => {
  const db = () => store().db;
  const text = async (r: Response) => (await r.text()).replace(/\s+/g, ' ');

  async function admin(locale: 'nl' | 'en' = 'nl') {
    const app = testApp(store());
    const a = await makeUser(db(), ['admin'], 'Beheerder Bea');
    await db().updateTable('users').set({ locale }).where('id', '=', a.id).execute();
    return { app, browser: await TestBrowser.signedIn(app, store(), a.id), id: a.id };
  }

  it('a refused new user comes back with every value kept and the reason beside each field, in Dutch and English', async () => {
    for (const locale of ['nl', 'en'] as const) {
      const { browser } = await admin(locale);
      const response = await browser.post('/admin/users/new', [['email', 'geen-adres'], ['name', '<b>Ann</b>'], ['roles', 'teacher']]);
      expect(response.status).toBe(422);
      const html = await text(response);
      expect(html).toContain('value="geen-adres"');
      expect(html).toContain('value="&lt;b&gt;Ann&lt;/b&gt;"');
      expect(html).toMatch(/id="role-teacher" name="roles" value="teacher" checked/);
      expect(html).toContain(locale === 'nl' ? 'Geef een geldig e-mailadres.' : 'Enter a valid e-mail address.');
      expect(html).toContain('id="field-email-error"');
    }
  });

  it('creates a user and shows the one-time link once; the link sets a password', async () => {
    const { app, browser } = await admin();
    const email = `nieuw-${newId().toLowerCase()}@example.test`;
    const created = await browser.post('/admin/users/new', [['email', email], ['name', 'Nieuwe Collega'], ['roles', 'teacher']]);
    expect(created.status).toBe(200);
    const html = await text(created);
    expect(html).toContain('Nieuwe Collega is aangemaakt.');
    const link = /value="(http[^"]+\/password\/[A-Za-z0-9_-]+)"/.exec(html)![1]!;
    const path = new URL(link).pathname;
    const user = await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    expect(await text(await browser.get(`/admin/users/${user.id}`))).not.toContain(path);

    const visitor = new TestBrowser(app);
    expect((await visitor.get(path)).status).toBe(200);
    const short = await visitor.post(path, [['password', 'kort'], ['repeat', 'kort']]);
    expect(short.status).toBe(422);
    expect(await text(short)).toContain('minstens 10 tekens');
    const set = await visitor.post(path, [['password', 'een-goed-wachtwoord'], ['repeat', 'een-goed-wachtwoord']]);
    expect([set.status, set.headers.get('location')]).toEqual([303, '/login?passwordSet=1']);
    expect(await text(await visitor.get('/login?passwordSet=1'))).toContain('Je wachtwoord is bewaard.');
    expect((await visitor.post('/login', [['email', email], ['password', 'een-goed-wachtwoord']])).status).toBe(303);
    expect((await new TestBrowser(app).get(path)).status).toBe(410);
  });

  it('refuses to take the last administrator’s role, saying why, and deactivation ends the person’s session', async () => {
    await db().updateTable('users').set({ deactivated_at: new Date().toISOString() }).where('id', 'in', db().selectFrom('user_roles').select('user_id').where('role', '=', 'admin')).execute();
    const { app, browser, id } = await admin();
    const email = (await db().selectFrom('users').select('email').where('id', '=', id).executeTakeFirstOrThrow()).email;
    const refused = await browser.post(`/admin/users/${id}`, [['email', email], ['name', 'Beheerder Bea'], ['roles', 'participant']]);
    expect(refused.status).toBe(409);
    expect(await text(refused)).toContain('Dit is de laatste actieve beheerder');

    const person = await makeUser(db(), ['participant'], 'Piet Pieters');
    const theirs = await TestBrowser.signedIn(app, store(), person.id);
    const done = await browser.post(`/admin/users/${person.id}/deactivate`, []);
    expect(done.headers.get('location')).toBe(`/admin/users/${person.id}?deactivated=1#banner`);
    expect(await text(await browser.get(`/admin/users/${person.id}?deactivated=1`))).toContain('Deze persoon is gedeactiveerd en kan niet meer aanmelden.');
    expect((await theirs.get('/')).status).toBe(303);
  });

  it('enrols chosen people in a run; refuses with nobody chosen; removes an enrolment after a confirmation screen', async () => {
    const { browser } = await admin();
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [7] });
    await db().updateTable('runs').set({ capacity: 1 }).where('id', '=', run.id).execute();
    const tag = newId().slice(-6);
    const a = await makeUser(db(), ['participant'], `Anna ${tag}`);
    const b = await makeUser(db(), ['participant'], `Bert ${tag}`);
    const search = await text(await browser.get(`/admin/runs/${run.id}/enrolments?q=${tag}`));
    expect(search).toContain(`Anna ${tag}`);
    const none = await browser.post(`/admin/runs/${run.id}/enrolments`, []);
    expect(none.status).toBe(422);
    expect(await text(none)).toContain('Kies eerst minstens één persoon.');
    const done = await browser.post(`/admin/runs/${run.id}/enrolments`, [['user', a.id], ['user', b.id]]);
    expect(done.status).toBe(303);
    const page = await text(await browser.get(done.headers.get('location')!));
    expect(page).toContain('1 ingeschreven, 1 op de wachtlijst gezet.');
    expect(page).toContain('1 van 1 plaatsen bezet');
    const enrolment = await db().selectFrom('enrolments').select('id').where('run_id', '=', run.id).executeTakeFirstOrThrow();
    const confirm = await browser.post(`/admin/runs/${run.id}/enrolments/${enrolment.id}/remove`, []);
    expect(confirm.status).toBe(200);
    expect(await text(confirm)).toContain(`Je verwijdert de inschrijving van Anna ${tag}`);
    const removed = await browser.post(`/admin/runs/${run.id}/enrolments/${enrolment.id}/remove`, [['confirm', '1']]);
    expect(await text(await browser.get(removed.headers.get('location')!))).toContain('De inschrijving is verwijderd. 1 persoon schoof van de wachtlijst door.');
    const left = await db().selectFrom('enrolments').select('user_id').where('run_id', '=', run.id).execute();
    expect(left.map((e) => e.user_id)).toEqual([b.id]);
  });

  it('imports a CSV file: upload once, preview with reasons, refused lines import nothing unless chosen', async () => {
    const { browser } = await admin();
    const tag = newId().slice(-6).toLowerCase();
    const file = new File([`\uFEFFE-mailadres;Naam;Rollen\r\nimport-${tag}@example.test;"Peeters; Jan";docent\r\ngeen-adres;Iemand;\r\n`], 'gebruikers.csv', { type: 'text/csv' });
    const staged = await browser.post('/admin/imports', [['kind', 'users'], ['file', file]]);
    expect(staged.status).toBe(303);
    const preview = await text(await browser.get(staged.headers.get('location')!));
    expect(preview).toContain('1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 geweigerd.');
    expect(preview).toContain('ongeldig e-mailadres');
    const all = await browser.post(staged.headers.get('location')!, [['mode', 'all']]);
    expect(all.status).toBe(422);
    expect(await text(all)).toContain('Er zijn geweigerde regels: er is niets geïmporteerd.');
    expect(await db().selectFrom('users').select('id').where('email', '=', `import-${tag}@example.test`).execute()).toEqual([]);
    const valid = await browser.post(staged.headers.get('location')!, [['mode', 'valid']]);
    expect(await text(await browser.get(valid.headers.get('location')!))).toContain('Geïmporteerd: 1 nieuw, 0 gewijzigd.');
    const user = await db().selectFrom('users').select('name').where('email', '=', `import-${tag}@example.test`).executeTakeFirstOrThrow();
    expect(user.name).toBe('Peeters; Jan');
    expect((await browser.post('/admin/imports', [['kind', 'users']])).status).toBe(422);
  });

  it('shows and exports the filtered history as CSV for Belgian Excel (BOM, semicolons)', async () => {
    const { browser } = await admin();
    const person = await makeUser(db(), ['participant'], 'Semi;Colon "Quote"');
    const email = (await db().selectFrom('users').select('email').where('id', '=', person.id).executeTakeFirstOrThrow()).email;
    await browser.post(`/admin/users/${person.id}/deactivate`, []);
    const page = await text(await browser.get(`/admin/history?person=${encodeURIComponent(email)}`));
    expect(page).toContain('Beheerder Bea');
    expect(page).toContain('deactivated');
    const bad = await text(await browser.get('/admin/history?person=niemand%40example.test&from=gisteren'));
    expect(bad).toContain('Geen gebruiker met dit e-mailadres.');
    expect(bad).toContain('Geef een datum als JJJJ-MM-DD.');
    const csv = await browser.get(`/admin/history.csv?person=${encodeURIComponent(email)}`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Tijdstip;Door;Door (e-mailadres);Persoon;Persoon (e-mailadres);Uitvoering;Soort;Oud;Nieuw;Opmerking;Via');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(';Beheerder Bea;');
    expect(lines[1]).toContain(';"Semi;Colon ""Quote""";');
    expect(lines[1]).toContain(';active;deactivated;');
  });
});
