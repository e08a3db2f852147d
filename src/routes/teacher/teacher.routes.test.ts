import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { newId } from '../../db/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { withCharacterReferencesRead } from '../../testing/hostile.ts';

/** Every file under a folder, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describeEachDatabase('teacher routes', (store) => {
  const db = () => store().db;
  const PDF = '%PDF-1.4\n%bewijs\n';

  /** The app with a data folder of its own, to see exactly which files a request leaves. */
  async function withOwnDataDir(meetingDays = [20, 27]) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'presentia-uploads-'));
    dataDirs.push(dataDir);
    const app = testApp(store(), { DATA_DIR: dataDir });
    const teacher = await makeUser(db(), ['teacher'], 'Docent Dirk');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays });
    const today = new Date().toISOString().slice(0, 10);
    const a = await enrol(db(), run, (await makeUser(db(), ['participant'], 'Ann Peeters')).id, { withdrawnOn: today });
    const b = await enrol(db(), run, (await makeUser(db(), ['participant'], 'Bert Claes')).id, { withdrawnOn: today });
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    return { app, dataDir, teacher, run, a, b, browser };
  }

  async function setUp(meetingDays = [-7, -1, 7]) {
    const app = testApp(store());
    const teacher = await makeUser(db(), ['teacher'], 'Docent Dirk');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays });
    const ann = await makeUser(db(), ['participant'], 'Ann <b>Peeters</b>');
    const bert = await makeUser(db(), ['participant'], 'Bert Claes');
    const a = await enrol(db(), run, ann.id);
    const b = await enrol(db(), run, bert.id);
    const browser = await TestBrowser.signedIn(app, store(), teacher.id);
    return { app, teacher, run, a, b, browser };
  }

  const rowFields = (id: string, extra: Record<string, string> = {}): [string, string][] => {
    const values: Record<string, string> = { status: '', effort: '', comment: '', proofNote: '', ...extra };
    return [['row', id], [`version.${id}`, '1'], ...Object.entries(values).map(([k, v]) => [`${k}.${id}`, v] as [string, string])];
  };

  it('lists the runs a teacher teaches with the gear menu and its Deelnemers tonen item', async () => {
    const { browser, run } = await setUp();
    const html = await (await browser.get('/teacher/runs')).text();
    expect(html).toContain('Mijn te geven opleidingen');
    expect(html).toContain('aria-label="Acties"');
    expect(html).toContain(`href="/teacher/runs/${run.id}">Deelnemers tonen</a>`);
  });

  it('shows the participants page with the guide\'s labels and escapes names', async () => {
    const { browser, run } = await setUp();
    const response = await browser.get(`/teacher/runs/${run.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const label of [
      'Aanwezig',
      'Studiestatus aanpassen',
      'Inzet',
      'LET OP',
      'Aanwezigheid registreren per bijeenkomst',
      'Verwerk de aanwezigheid van de uitvoering in alle bijeenkomsten',
      'Maximum aantal studiepunten van deze cursus negeren?',
      'Doorgaan',
      'Uitgeschreven zonder geldige reden',
      'Uitgeschreven met geldige reden',
    ]) {
      expect(html).toContain(label);
    }
    expect(html).toContain('Ann &lt;b&gt;Peeters&lt;/b&gt;');
    expect(html).not.toContain('<b>Peeters</b>');
    expect(html).not.toContain('value="exempted"');
  });

  it('writes the participants page in Latin-1 characters, every other one (names, ✓, the dashes of the dates) as a reference the browser shows as itself', async () => {
    const { browser, run, a } = await setUp();
    const lukasz = await enrol(db(), run, (await makeUser(db(), ['participant'], 'Łukasz Şahin 👩🏽‍🏫')).id);
    await db().insertInto('attendance').values({ enrolment_id: a.id, meeting_id: run.meetings[0]!.id, present: 1, study_points: 1, recorded_at: new Date().toISOString() }).execute();
    await db().updateTable('runs').set({ cancelled_at: new Date().toISOString(), cancel_reason: 'Lokaal onbruikbaar – wateroverlast' }).where('id', '=', run.id).execute();
    const html = await (await browser.get(`/teacher/runs/${run.id}`)).text();
    expect([...new Set([...html].filter((c) => c.charCodeAt(0) > 0xff))]).toEqual([]);
    const shown = withCharacterReferencesRead(html);
    expect(shown).toContain(`<tr id="row-${lukasz.id}">`);
    expect(shown).toContain('Łukasz Şahin 👩🏽‍🏫');
    expect(shown).toContain('<span aria-hidden="true">✓ · ·</span>');
    expect(shown).toContain('<bdi>Lokaal onbruikbaar – wateroverlast</bdi>');
    expect(shown).toMatch(/<label for="meeting-[^"]+">[^<]*, \d\d:00–\d\d:00, Gent/);
  });

  it('answers "not found or no access" to a teacher of another run, a participant and nobody', async () => {
    const { app, run } = await setUp();
    const other = await makeUser(db(), ['teacher']);
    const participant = await makeUser(db(), ['participant']);
    for (const user of [other, participant]) {
      const browser = await TestBrowser.signedIn(app, store(), user.id);
      const response = await browser.get(`/teacher/runs/${run.id}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('bestaat niet, of je hebt er geen toegang toe');
    }
    const anonymous = await app.request(`/teacher/runs/${run.id}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/login\?next=/);
  });

  it('saves, redirects and confirms what was saved', async () => {
    const { browser, run, a, b } = await setUp();
    const response = await browser.post(`/teacher/runs/${run.id}`, [
      ...rowFields(a.id, { present: '1', effort: 'good', comment: 'Goed bezig' }),
      ...rowFields(b.id),
      ['meeting', run.meetings[0]!.id],
    ]);
    expect(response.status).toBe(303);
    const page = await (await browser.get(response.headers.get('location')!)).text();
    expect(page).toContain('Aanwezigheid voor 2 deelnemers in 1 bijeenkomst.');
    expect(page).toContain('Inzet van 1 deelnemer bijgewerkt.');
    const stored = await db().selectFrom('attendance').select('present').where('enrolment_id', '=', a.id).execute();
    expect(stored).toEqual([{ present: 1 }]);
  });

  it('refuses a ticked box without a meeting and shows every entered value again', async () => {
    const { browser, run, a, b } = await setUp();
    const response = await browser.post(`/teacher/runs/${run.id}`, [
      ...rowFields(a.id, { present: '1', comment: 'Bleef tot het einde' }),
      ...rowFields(b.id, { status: 'failed' }),
    ]);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Kies onderaan minstens één bijeenkomst');
    expect(html).toContain('value="Bleef tot het einde"');
    expect(html).toMatch(new RegExp(`name="present\\.${a.id}" value="1" data-group="present" checked`));
    expect(html).toMatch(/<option value="failed" selected/);
    const [enrolment] = await db().selectFrom('enrolments').select('status').where('id', '=', b.id).execute();
    expect(enrolment!.status).toBe('enrolled');
  });

  it('refuses a forged admin-only status beside its row', async () => {
    const { browser, run, a } = await setUp();
    const response = await browser.post(`/teacher/runs/${run.id}`, rowFields(a.id, { status: 'exempted' }));
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('Deze studiestatus kan enkel een beheerder toekennen.');
  });

  it('refuses a form without its CSRF token', async () => {
    const { browser, run, a } = await setUp();
    const response = await browser.post(`/teacher/runs/${run.id}`, rowFields(a.id, { effort: 'good' }), { csrf: false });
    expect(response.status).toBe(403);
    const [enrolment] = await db().selectFrom('enrolments').select('effort').where('id', '=', a.id).execute();
    expect(enrolment!.effort).toBeNull();
  });

  it('asks on a second screen before completing early, keeping every value, and saves on confirmation (R2)', async () => {
    const { browser, run, a } = await setUp();
    const fields = [...rowFields(a.id, { present: '1', status: 'completed', comment: 'Top' }), ['meeting', run.meetings[0]!.id]] as [string, string][];
    const first = await browser.post(`/teacher/runs/${run.id}`, fields);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('Voltooid vóór de laatste bijeenkomst');
    expect(html).toContain(`name="comment.${a.id}" value="Top"`);
    expect(await db().selectFrom('certificates').selectAll().where('enrolment_id', '=', a.id).execute()).toEqual([]);

    const second = await browser.post(`/teacher/runs/${run.id}`, [...fields, ['confirmEarly', '1']]);
    expect(second.status).toBe(303);
    const page = await (await browser.get(second.headers.get('location')!)).text();
    expect(page).toContain('1 certificaat uitgereikt.');
  });

  it('stores a real PDF as proof and refuses a file that only claims to be one (R4)', async () => {
    const { browser, run, a, b } = await setUp([20, 27]);
    await db().updateTable('enrolments').set({ withdrawn_on: new Date().toISOString().slice(0, 10) }).where('id', 'in', [a.id, b.id]).execute();
    const fake = new File(['<script>alert(1)</script>'], 'attest.pdf', { type: 'application/pdf' });
    const bad = await browser.post(`/teacher/runs/${run.id}`, [...rowFields(a.id, { status: 'withdrawn_valid' }), [`proofFile.${a.id}`, fake]]);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Het bewijs moet een pdf, png of jpg zijn.');

    const pdf = new File(['%PDF-1.4\n%test\n'], 'attest.pdf', { type: 'application/pdf' });
    const good = await browser.post(`/teacher/runs/${run.id}`, [...rowFields(b.id, { status: 'withdrawn_valid' }), [`proofFile.${b.id}`, pdf]]);
    expect(good.status).toBe(303);
    const [row] = await db().selectFrom('enrolments').select(['status', 'force_majeure_file']).where('id', '=', b.id).execute();
    expect(row!.status).toBe('withdrawn_valid');
    expect(row!.force_majeure_file).toMatch(/^[0-9A-Z]{26}\.pdf$/);
  });

  it('refuses a request body over 25 MB with a clear message, writing nothing', async () => {
    const { browser, run, a } = await setUp([20, 27]);
    await db().updateTable('enrolments').set({ withdrawn_on: new Date().toISOString().slice(0, 10) }).where('id', '=', a.id).execute();
    const huge = new File([new Uint8Array(26 * 1024 * 1024)], 'attest.pdf', { type: 'application/pdf' });
    const response = await browser.post(`/teacher/runs/${run.id}`, [...rowFields(a.id, { status: 'withdrawn_valid' }), [`proofFile.${a.id}`, huge]]);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('Wat je verstuurt is te groot: samen hoogstens 25 MB.');
    const [row] = await db().selectFrom('enrolments').select(['status', 'version']).where('id', '=', a.id).execute();
    expect(row).toEqual({ status: 'enrolled', version: 1 });
  });

  it('refuses a save on a stale page and says whose data changed (R11)', async () => {
    const { browser, run, a } = await setUp();
    await db().updateTable('enrolments').set({ version: 2, effort: 'good' }).where('id', '=', a.id).execute();
    const response = await browser.post(`/teacher/runs/${run.id}`, rowFields(a.id, { effort: 'excellent' }));
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain('Iemand anders heeft intussen dezelfde gegevens van deze deelnemers gewijzigd.');
    expect(html).toContain('<th scope="row">Ann &lt;b&gt;Peeters&lt;/b&gt;</th><td>Inzet</td><td>Goed</td><td>Uitstekend</td>');
    expect(html).toContain(`name="effort.${a.id}" value="excellent"`);
  });

  it('answers a proof upload to a run the sender may not manage with 404 and stores no file', async () => {
    const { app, dataDir, run, a } = await withOwnDataDir();
    const other = await TestBrowser.signedIn(app, store(), (await makeUser(db(), ['teacher'])).id);
    const response = await other.post(`/teacher/runs/${run.id}`, [...rowFields(a.id, { status: 'withdrawn_valid' }), [`proofFile.${a.id}`, new File([PDF], 'attest.pdf')]]);
    expect(response.status).toBe(404);
    expect(filesUnder(dataDir)).toEqual([]);
    expect(await db().selectFrom('proof_files').selectAll().where('enrolment_id', '=', a.id).execute()).toEqual([]);
  });

  it('keeps no proof file of a refused save or a conflict, and asks for the file again', async () => {
    const { dataDir, run, a, b, browser } = await withOwnDataDir();
    const refused = await browser.post(`/teacher/runs/${run.id}`, [
      ...rowFields(a.id, { status: 'withdrawn_valid' }),
      [`proofFile.${a.id}`, new File([PDF], 'attest.pdf')],
      ...rowFields(b.id, { status: 'exempted' }),
    ]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Deze studiestatus kan enkel een beheerder toekennen.');
    expect(html).toContain('Bewijsbestanden worden enkel bij een geslaagde opslag bewaard: voeg ze opnieuw toe.');
    expect(html).not.toContain(`name="proofFileKey.${a.id}"`);
    // A colleague changed this participant's status since the page was loaded (R11).
    await db().updateTable('enrolments').set({ version: 2, status: 'absent' }).where('id', '=', a.id).execute();
    const conflict = await browser.post(`/teacher/runs/${run.id}`, [...rowFields(a.id, { status: 'withdrawn_valid' }), [`proofFile.${a.id}`, new File([PDF], 'attest.pdf')], ...rowFields(b.id)]);
    expect(conflict.status).toBe(409);
    expect(filesUnder(dataDir)).toEqual([]);
    expect(await db().selectFrom('proof_files').selectAll().where('enrolment_id', 'in', [a.id, b.id]).execute()).toEqual([]);
  });

  it('refuses a made-up proof key and a note that is no sentence, each with its reason (R4)', async () => {
    const { run, a, b, browser } = await withOwnDataDir();
    const response = await browser.post(`/teacher/runs/${run.id}`, [
      ...rowFields(a.id, { status: 'withdrawn_valid', proofFileKey: `${newId()}.pdf` }),
      ...rowFields(b.id, { status: 'withdrawn_valid', proofNote: 'ja' }),
    ]);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Dit bewijsbestand is niet voor deze deelnemer opgeslagen. Voeg het bestand opnieuw toe.');
    expect(html).toContain('Beschrijf in minstens een korte zin welk bewijs je gezien hebt (minstens 15 tekens).');
    const rows = await db().selectFrom('enrolments').select('status').where('id', 'in', [a.id, b.id]).execute();
    expect(rows).toEqual([{ status: 'enrolled' }, { status: 'enrolled' }]);
  });

  it('goes back from the confirmation to the form with every value and the staged file kept, then saves it', async () => {
    const { dataDir, run, a, browser } = await withOwnDataDir([-7, 7]);
    await db().updateTable('enrolments').set({ withdrawn_on: null }).where('id', '=', a.id).execute();
    const fields: [string, string | Blob][] = [...rowFields(a.id, { status: 'completed', comment: 'Sterk' }), ['meeting', run.meetings[0]!.id], [`proofFile.${a.id}`, new File([PDF], 'attest.pdf')]];
    const confirm = await browser.post(`/teacher/runs/${run.id}`, fields);
    expect(confirm.status).toBe(200);
    const key = /name="proofFileKey\.[^"]+" value="([^"]+)"/.exec(await confirm.text())?.[1];
    expect(key).toMatch(/^[0-9A-Z]{26}\.pdf$/);
    expect(filesUnder(dataDir)).toEqual([`uploads/staging/${key}`]);

    const carried: [string, string][] = [...rowFields(a.id, { status: 'completed', comment: 'Sterk' }), ['meeting', run.meetings[0]!.id], [`proofFileKey.${a.id}`, key!]];
    const back = await browser.post(`/teacher/runs/${run.id}`, [...carried, ['back', '1']]);
    expect(back.status).toBe(200);
    const form = await back.text();
    expect(form).toContain(`name="comment.${a.id}" value="Sterk"`);
    expect(form).toMatch(/<option value="completed" selected/);
    expect(form).toContain(`name="proofFileKey.${a.id}" value="${key}"`);
    expect(form).toMatch(new RegExp(`id="meeting-${run.meetings[0]!.id}" name="meeting" value="${run.meetings[0]!.id}" data-meeting="true"[^>]* checked`));

    const saved = await browser.post(`/teacher/runs/${run.id}`, [...carried, ['confirmEarly', '1']]);
    expect(saved.status).toBe(303);
    expect(filesUnder(dataDir)).toEqual([`uploads/proofs/${key}`]);
    const [row] = await db().selectFrom('enrolments').select(['status', 'force_majeure_file']).where('id', '=', a.id).execute();
    expect(row).toEqual({ status: 'completed', force_majeure_file: key });
  });

  it('shows what was saved from the session, once, and never what a link claims', async () => {
    const { browser, run, a } = await setUp();
    const fake = await (await browser.get(`/teacher/runs/${run.id}?saved=1&statusesChanged=40&certificatesIssued=40`)).text();
    expect(fake).not.toContain('Opgeslagen');
    expect(fake).not.toContain('certificaten uitgereikt');
    const response = await browser.post(`/teacher/runs/${run.id}`, rowFields(a.id, { effort: 'good' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/teacher/runs/${run.id}?saved=1#banner`);
    const first = await (await browser.get(`/teacher/runs/${run.id}?saved=1`)).text();
    expect(first).toContain('Opgeslagen');
    expect(first).toContain('Inzet van 1 deelnemer bijgewerkt.');
    const again = await (await browser.get(`/teacher/runs/${run.id}?saved=1`)).text();
    expect(again).not.toContain('Inzet van 1 deelnemer bijgewerkt.');
  });
});
