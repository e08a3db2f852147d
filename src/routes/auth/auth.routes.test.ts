import { expect, it } from 'vitest';
import { hashPassword, LOGIN_FAILURES_PER_ACCOUNT } from '../../services/auth.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

describeEachDatabase('login, logout and the home page', (store) => {
  const db = () => store().db;

  async function account(roles: ('participant' | 'teacher' | 'admin')[] = ['teacher']) {
    const user = await makeUser(db(), roles, 'Docent Dirk');
    const email = `dirk-${user.id.toLowerCase()}@presentia.test`;
    await db().updateTable('users').set({ email, password_hash: await hashPassword('juist-wachtwoord') }).where('id', '=', user.id).execute();
    return { ...user, email };
  }

  async function loginPage(app: ReturnType<typeof testApp>) {
    const browser = new TestBrowser(app);
    await browser.get('/login');
    return browser;
  }

  it('signs in with the right password, rotates the CSRF token and shows the teacher tile', async () => {
    const app = testApp(store());
    const user = await account();
    const browser = await loginPage(app);
    const before = browser.csrfToken;
    const response = await browser.post('/login', { email: user.email.toUpperCase(), password: 'juist-wachtwoord' });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(/presentia_session=[^;]+;.*HttpOnly/i);
    expect(response.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    expect(browser.csrfToken).not.toBe(before);
    const home = await (await browser.get('/')).text();
    expect(home).toContain('Mijn te geven opleidingen');
    expect(home).not.toContain('Mijn opleidingen<');
    expect(home).not.toContain('>Beheer<');
  });

  it('gives one message for a wrong password and an unknown account, keeping the e-mail', async () => {
    const app = testApp(store());
    const user = await account();
    for (const email of [user.email, 'niemand@presentia.test']) {
      const browser = await loginPage(app);
      const response = await browser.post('/login', { email, password: 'fout' });
      expect(response.status).toBe(401);
      const html = await response.text();
      expect(html).toContain('Het e-mailadres of het wachtwoord is niet juist.');
      expect(html).toContain(`value="${email}"`);
    }
  });

  it('limits failed logins per account, even with the right password afterwards', async () => {
    const app = testApp(store());
    const user = await account();
    const browser = await loginPage(app);
    for (let i = 0; i < LOGIN_FAILURES_PER_ACCOUNT; i += 1) await browser.post('/login', { email: user.email, password: 'fout' });
    const response = await browser.post('/login', { email: user.email, password: 'juist-wachtwoord' });
    expect(response.status).toBe(429);
    expect(await response.text()).toContain('Te veel mislukte pogingen');
  });

  it('signs out: the old session cookie no longer opens pages', async () => {
    const app = testApp(store());
    const user = await account();
    const browser = await TestBrowser.signedIn(app, store(), user.id);
    const session = browser.cookie('presentia_session')!;
    expect((await browser.get('/')).status).toBe(200);
    const out = await browser.post('/logout', {});
    expect(out.headers.get('location')).toBe('/login?loggedOut=1');
    const replay = await app.request('/', { headers: { cookie: `presentia_session=${session}` } });
    expect(replay.status).toBe(303);
  });

  it('ends idle sessions', async () => {
    const app = testApp(store(), { SESSION_IDLE_MINUTES: '30' });
    const user = await account();
    const browser = await TestBrowser.signedIn(app, store(), user.id);
    await db().updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).where('user_id', '=', user.id).execute();
    expect((await browser.get('/')).status).toBe(303);
  });

  it('never redirects to another site after login', async () => {
    const app = testApp(store());
    const user = await account();
    const browser = await loginPage(app);
    const response = await browser.post('/login', { email: user.email, password: 'juist-wachtwoord', next: '//evil.example/' });
    expect(response.headers.get('location')).toBe('/');
  });

  it('refuses a login form from another origin', async () => {
    const app = testApp(store());
    const browser = await loginPage(app);
    const response = await browser.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ _csrf: browser.csrfToken, email: 'a@b.c', password: 'x' }),
    });
    expect(response.status).toBe(403);
  });

  it('switches to English and remembers it for the user', async () => {
    const app = testApp(store());
    const user = await account(['participant']);
    const browser = await TestBrowser.signedIn(app, store(), user.id);
    const response = await browser.post('/language', { locale: 'en', next: '/' });
    expect(response.headers.get('location')).toBe('/');
    expect(await (await browser.get('/')).text()).toContain('My courses');
    const [row] = await db().selectFrom('users').select('locale').where('id', '=', user.id).execute();
    expect(row!.locale).toBe('en');
  });

  it('shows a Dutch 404 page and sets security headers', async () => {
    const app = testApp(store());
    const response = await app.request('/bestaat-niet');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Pagina niet gevonden');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a server error with a Dutch page and a request id, never a stack trace', async () => {
    const app = testApp(store());
    app.get('/kapot', () => {
      throw new Error('secret internal detail');
    });
    const response = await app.request('/kapot');
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain('Er ging iets mis');
    expect(html).toContain(response.headers.get('x-request-id')!);
    expect(html).not.toContain('secret internal detail');
  });

  it('shows administrators every run on the Beheer page, and nobody else', async () => {
    const app = testApp(store());
    const admin = await makeUser(db(), ['admin']);
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const adminBrowser = await TestBrowser.signedIn(app, store(), admin.id);
    const html = await (await adminBrowser.get('/admin')).text();
    expect(html).toContain(`href="/teacher/runs/${run.id}"`);
    expect((await adminBrowser.get(`/teacher/runs/${run.id}`)).status).toBe(200);
    const teacherBrowser = await TestBrowser.signedIn(app, store(), teacher.id);
    expect((await teacherBrowser.get('/admin')).status).toBe(404);
  });
});
