import { expect, it } from 'vitest';
import { hashPassword, openSession, resolveSession } from '../../services/auth.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

/** The value of cookie `name` in a response's Set-Cookie headers. */
function setCookieValue(response: Response, name: string): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

describeEachDatabase('sessions and security headers', (store) => {
  const db = () => store().db;

  async function account() {
    const user = await makeUser(db(), ['participant'], 'Sessie Sara');
    const email = `sara-${user.id.toLowerCase()}@presentia.test`;
    await db().updateTable('users').set({ email, password_hash: await hashPassword('juist-wachtwoord') }).where('id', '=', user.id).execute();
    return { ...user, email };
  }

  /** Signs in through the login form with a session cookie planted in the browser beforehand. */
  async function loginWithPlanted(app: ReturnType<typeof testApp>, email: string, planted: string) {
    const page = await app.request('/login');
    const csrf = setCookieValue(page, 'presentia_csrf')!;
    const response = await app.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `presentia_csrf=${csrf}; presentia_session=${planted}` },
      body: new URLSearchParams({ _csrf: csrf, email, password: 'juist-wachtwoord' }),
    });
    expect(response.status).toBe(303);
    return { response, session: setCookieValue(response, 'presentia_session')!, csrf };
  }

  const home = (app: ReturnType<typeof testApp>, session: string) => app.request('/', { headers: { cookie: `presentia_session=${session}` } });

  it('issues a new session id at login: a cookie chosen before login is replaced and never signs anyone in', async () => {
    const app = testApp(store());
    const user = await account();
    const planted = 'attacker-chosen-session-value-0123456789abcdef';
    const { response, session, csrf } = await loginWithPlanted(app, user.email, planted);
    expect(session).toBeDefined();
    expect(session).not.toBe(planted);
    expect(setCookieValue(response, 'presentia_csrf')).not.toBe(csrf);
    expect((await home(app, planted)).status).toBe(303);
    expect((await home(app, session)).status).toBe(200);
  });

  it('ends a real session token planted before login instead of letting it live on', async () => {
    const app = testApp(store());
    const attacker = await makeUser(db(), ['participant']);
    const planted = await openSession(db(), attacker.id, { maxHours: 12, idleMinutes: 120 });
    expect((await home(app, planted)).status).toBe(200);
    const user = await account();
    const { session } = await loginWithPlanted(app, user.email, planted);
    expect(session).not.toBe(planted);
    expect((await home(app, planted)).status).toBe(303);
    expect(await resolveSession(db(), session, { maxHours: 12, idleMinutes: 120 })).toMatchObject({ id: user.id });
  });

  it('ends a session at its absolute expiry even when it is used all the time', async () => {
    const user = await account();
    const policy = { maxHours: 2, idleMinutes: 60 };
    const start = new Date('2026-03-02T08:00:00Z');
    const token = await openSession(db(), user.id, policy, start);
    for (const minutes of [50, 100, 119]) {
      expect(await resolveSession(db(), token, policy, new Date(start.getTime() + minutes * 60_000))).toMatchObject({ id: user.id });
    }
    expect(await resolveSession(db(), token, policy, new Date(start.getTime() + 121 * 60_000))).toBeUndefined();
    expect(await db().selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
  });

  it('gives the session cookie the absolute lifetime, HttpOnly and SameSite=Lax, and ends it after that in the app', async () => {
    const app = testApp(store(), { SESSION_MAX_HOURS: '3' });
    const user = await account();
    const { response, session } = await loginWithPlanted(app, user.email, 'x');
    const line = response.headers.getSetCookie().find((l) => l.startsWith('presentia_session='))!;
    expect(line).toMatch(/Max-Age=10800/);
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).not.toMatch(/Secure/);
    await db().updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', user.id).execute();
    expect((await home(app, session)).status).toBe(303);
  });

  it('signs out every session of the user, on every device, and nobody else’s', async () => {
    const app = testApp(store());
    const user = await account();
    const laptop = await TestBrowser.signedIn(app, store(), user.id);
    const tablet = await TestBrowser.signedIn(app, store(), user.id);
    const colleague = await TestBrowser.signedIn(app, store(), (await makeUser(db())).id);
    expect((await tablet.get('/')).status).toBe(200);
    const tabletSession = tablet.cookie('presentia_session')!;

    expect((await laptop.post('/logout', {})).headers.get('location')).toBe('/login?loggedOut=1');
    expect(laptop.cookie('presentia_session')).toBeUndefined();
    expect((await home(app, tabletSession)).status).toBe(303);
    expect(await db().selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).toEqual([]);
    expect((await colleague.get('/')).status).toBe(200);
  });

  it('sends a strict Content-Security-Policy, nosniff, a Referrer-Policy and no framing, on pages, errors and downloads', async () => {
    const app = testApp(store());
    const browser = await TestBrowser.signedIn(app, store(), (await account()).id);
    for (const path of ['/login', '/', '/bestaat-niet', '/account/data.json']) {
      const response = path === '/login' ? await app.request(path) : await browser.get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
      expect(directives.get('default-src'), path).toEqual(["'self'"]);
      expect(directives.get('script-src'), path).toEqual(["'self'"]);
      expect(csp, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(directives.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(directives.get('object-src'), path).toEqual(["'none'"]);
      expect(directives.get('base-uri'), path).toEqual(["'none'"]);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(response.headers.get('strict-transport-security'), path).toBeNull();
      if (response.headers.get('content-type')?.startsWith('text/html')) {
        const html = await response.text();
        // Every script comes from a file: no inline script or handler the policy would have to allow.
        expect(html.match(/<script(?![^>]*\ssrc=)[^>]*>/g), path).toBeNull();
        expect(html, path).not.toMatch(/\son[a-z]+=/i);
      }
    }
  });

  it('sends HSTS and Secure cookies only behind HTTPS: a https PUBLIC_URL, or a trusted proxy saying https', async () => {
    const user = await account();
    const direct = testApp(store());
    expect((await direct.request('/login', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('strict-transport-security')).toBeNull();

    const proxied = testApp(store(), { TRUST_PROXY: 'true' });
    expect((await proxied.request('/login')).headers.get('strict-transport-security')).toBeNull();
    const viaProxy = await proxied.request('/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    expect(viaProxy.headers.getSetCookie().find((l) => l.startsWith('presentia_csrf='))).toMatch(/Secure/);

    const published = testApp(store(), { PUBLIC_URL: 'https://presentia.example.org' });
    const page = await published.request('/login');
    expect(page.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    const { response } = await (async () => {
      const csrf = setCookieValue(page, 'presentia_csrf')!;
      const r = await published.request('/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `presentia_csrf=${csrf}` },
        body: new URLSearchParams({ _csrf: csrf, email: user.email, password: 'juist-wachtwoord' }),
      });
      return { response: r };
    })();
    expect(response.headers.getSetCookie().find((l) => l.startsWith('presentia_session='))).toMatch(/Secure/);

    const plain = testApp(store(), { PUBLIC_URL: 'http://localhost:3000' });
    expect((await plain.request('/login')).headers.get('strict-transport-security')).toBeNull();
  });
});
