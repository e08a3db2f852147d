import pino from 'pino';
import { createApp } from '../app.tsx';
import { loadConfig } from '../config.ts';
import type { Store } from '../db/index.ts';
import { openSession } from '../services/auth.ts';

/** The app on a test database, with a throw-away data folder and a silent log. */
export function testApp(store: Store, env: Record<string, string> = {}) {
  const config = loadConfig({ DATA_DIR: `/tmp/presentia-test-${process.pid}`, LOG_LEVEL: 'silent', ...env });
  return createApp({ store, config, logger: pino({ level: 'silent' }) });
}

type App = ReturnType<typeof testApp>;

/**
 * A browser stand-in: keeps cookies, sends the CSRF token with forms, and can sign in as a user
 * without a password (the session is opened directly).
 */
export class TestBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly app: App) {}

  static async signedIn(app: App, store: Store, userId: string): Promise<TestBrowser> {
    const browser = new TestBrowser(app);
    const token = await openSession(store.db, userId, { maxHours: 12, idleMinutes: 120 });
    browser.cookies.set('presentia_session', token);
    await browser.get('/login'); // receives a CSRF cookie
    return browser;
  }

  get csrfToken(): string {
    return this.cookies.get('presentia_csrf') ?? '';
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.app.request(path, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string): Promise<Response> {
    return this.request(path);
  }

  /** Posts a form (urlencoded, or multipart when it holds files) with this browser's CSRF token. */
  post(path: string, fields: [string, string | Blob][] | Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const entries = Array.isArray(fields) ? fields : Object.entries(fields);
    const all: [string, string | Blob][] = options.csrf === false ? entries : [['_csrf', this.csrfToken], ...entries];
    if (all.some(([, v]) => v instanceof Blob)) {
      const form = new FormData();
      for (const [k, v] of all) form.append(k, v);
      return this.request(path, { method: 'POST', body: form });
    }
    const body = new URLSearchParams(all as [string, string][]);
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}
