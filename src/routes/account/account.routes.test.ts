import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, it } from 'vitest';
import { createApp } from '../../app.tsx';
import { loadConfig } from '../../config.ts';
import type { Store } from '../../db/index.ts';
import { makePrivacyScenario } from '../../testing/privacy-scenario.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

/** The app with a logger whose lines the test can read. */
function appWithLog(store: Store) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ DATA_DIR: `/tmp/presentia-test-${process.pid}`, LOG_LEVEL: 'info' });
  return { app: createApp({ store, config, logger: pino({ level: 'info' }, sink) }), lines };
}

describeEachDatabase('account pages', (store) => {
  const db = () => store().db;
  /** The scenario, with Alice reading Dutch. */
  async function scenario(password: string) {
    const s = await makePrivacyScenario(db(), { password });
    await db().updateTable('users').set({ locale: null }).where('id', '=', s.alice.id).execute();
    return s;
  }

  it('sends the anonymous to the login page', async () => {
    const app = testApp(store());
    for (const path of ['/account', '/account/data.json', '/account/password']) {
      const response = await app.request(path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('shows Mijn account with the profile and links to the download and the password change, also from the header', async () => {
    const app = testApp(store());
    const s = await makePrivacyScenario(db());
    const browser = await TestBrowser.signedIn(app, store(), s.bob.id);
    const html = await (await browser.get('/account')).text();
    expect(html).toContain('<h1>Mijn account</h1>');
    expect(html).toContain(s.bob.email);
    expect(html).toContain('href="/account/data.json"');
    expect(html).toContain('href="/account/password"');
    const homePage = await (await browser.get('/')).text();
    expect(homePage).toContain('href="/account"');
    expect(homePage).toContain('href="/account/password"');
    expect(await (await app.request('/login')).text()).not.toContain('href="/account/password"');
  });

  it('downloads the person’s own data as a JSON attachment, and nobody else’s', async () => {
    const app = testApp(store());
    const s = await makePrivacyScenario(db());
    const browser = await TestBrowser.signedIn(app, store(), s.alice.id);
    const response = await browser.get('/account/data.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="presentia-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    const data = JSON.parse(text) as { profile: { id: string }; enrolments: unknown[]; sessions: { current: boolean }[] };
    expect(data.profile.id).toBe(s.alice.id);
    expect(data.enrolments).toHaveLength(2);
    expect(data.sessions.filter((x) => x.current)).toHaveLength(1);
    expect(text).toContain('ALICE-EFFORT-SECRET');
    for (const foreign of ['BOB-EFFORT-SECRET', s.bob.email, s.bob.id, 'Docent Dora']) expect(text).not.toContain(foreign);
  });

  it('changes the password: keeps this session, signs out the others, logs an audit line without secrets', async () => {
    const { app, lines } = appWithLog(store());
    const s = await scenario('oud-wachtwoord');
    const here = await TestBrowser.signedIn(app, store(), s.alice.id);
    const elsewhere = await TestBrowser.signedIn(app, store(), s.alice.id);

    const form = await (await here.get('/account/password')).text();
    for (const label of ['Huidig wachtwoord', 'Nieuw wachtwoord', 'Herhaal het nieuwe wachtwoord']) expect(form).toContain(label);
    expect(form).toContain('autocomplete="current-password"');

    const response = await here.post('/account/password', { current: 'oud-wachtwoord', new: 'een-nieuw-wachtwoord', repeat: 'een-nieuw-wachtwoord' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/account?passwordChanged=1#banner');
    expect(await (await here.get('/account?passwordChanged=1')).text()).toContain('Je wachtwoord is gewijzigd.');
    expect((await elsewhere.get('/')).status).toBe(303);

    const audit = lines.filter((l) => l.event === 'password_changed');
    expect(audit).toEqual([expect.objectContaining({ userId: s.alice.id, endedSessions: 1, msg: 'password changed' })]);
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain('oud-wachtwoord');
    expect(everything).not.toContain('een-nieuw-wachtwoord');

    await here.post('/logout', {});
    const login = new TestBrowser(app);
    await login.get('/login');
    expect((await login.post('/login', { email: s.alice.email, password: 'oud-wachtwoord' })).status).toBe(401);
    expect((await login.post('/login', { email: s.alice.email, password: 'een-nieuw-wachtwoord' })).status).toBe(303);
  });

  it('refuses an unsuitable password with each problem beside its field, and changes nothing', async () => {
    const app = testApp(store());
    const s = await scenario('oud-wachtwoord');
    const browser = await TestBrowser.signedIn(app, store(), s.alice.id);
    const cases: [Record<string, string>, string, string][] = [
      [{ current: 'oud-wachtwoord', new: 'kort', repeat: 'kort' }, 'new-error', 'minstens 10 tekens'],
      [{ current: 'oud-wachtwoord', new: s.alice.email.toUpperCase(), repeat: s.alice.email.toUpperCase() }, 'new-error', 'niet je e-mailadres zijn'],
      [{ current: 'oud-wachtwoord', new: 'lang-genoeg-1', repeat: 'lang-genoeg-2' }, 'repeat-error', 'niet gelijk'],
      [{ current: '', new: 'lang-genoeg-1', repeat: 'lang-genoeg-1' }, 'current-error', 'Vul je huidige wachtwoord in.'],
      [{ current: 'fout-wachtwoord', new: 'lang-genoeg-1', repeat: 'lang-genoeg-1' }, 'current-error', 'Je huidige wachtwoord is niet juist.'],
    ];
    for (const [fields, id, message] of cases) {
      const response = await browser.post('/account/password', fields);
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('Je wachtwoord is niet gewijzigd.');
      expect(html).toMatch(new RegExp(`id="${id}">[^<]*${message}`));
      // Passwords never come back in the page.
      for (const value of Object.values(fields)) if (value.length >= 10) expect(html).not.toContain(`value="${value}"`);
    }
    const other = await TestBrowser.signedIn(app, store(), s.alice.id);
    expect((await other.get('/')).status).toBe(200);
    const login = new TestBrowser(app);
    await login.get('/login');
    expect((await login.post('/login', { email: s.alice.email, password: 'oud-wachtwoord' })).status).toBe(303);
  });

  it('refuses a password change without the CSRF token', async () => {
    const app = testApp(store());
    const s = await scenario('oud-wachtwoord');
    const browser = await TestBrowser.signedIn(app, store(), s.alice.id);
    const response = await browser.post('/account/password', { current: 'oud-wachtwoord', new: 'een-nieuw-wachtwoord', repeat: 'een-nieuw-wachtwoord' }, { csrf: false });
    expect(response.status).toBe(403);
  });
});
