import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import { RateLimited } from '../../errors.ts';
import { isLocale } from '../../i18n/index.ts';
import { setUserLocale } from '../../repositories/users.ts';
import { endSession, InvalidCredentials, login, logout, type SessionPolicy } from '../../services/auth.ts';
import { COOKIES, type AppEnv } from '../../web/context.ts';
import { setAppCookie } from '../../web/cookies.ts';
import { rotateCsrfToken } from '../../web/csrf.ts';
import { renderPage } from '../../web/render.tsx';
import { clientAddress } from '../../web/request.ts';
import { LoginPage } from './login-page.tsx';

const loginForm = z.object({
  email: z.string().trim().max(320).default(''),
  password: z.string().max(1024).default(''),
  next: z.string().max(2000).optional(),
});

const LOCAL_BASE = 'http://presentia.invalid';

/**
 * Only a local path may follow a login: never another site. The path is returned as the URL parser
 * reads it, percent-encoded: a control character, line break or non-ASCII letter in `next` would
 * otherwise make the Location header invalid (a server error), or split it.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  let url: URL;
  try {
    url = new URL(next, LOCAL_BASE);
  } catch {
    return '/';
  }
  // The parser drops tabs and line breaks ("/\n/evil.example" names another host) and resolves dot
  // segments ("/..//evil.example" becomes "//evil.example"): refuse what no longer stays on this site.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === LOCAL_BASE && !path.startsWith('//') ? path : '/';
}

export function authRoutes(policy: SessionPolicy) {
  const app = new Hono<AppEnv>();

  app.get('/login', (c) => {
    if (c.var.user) return c.redirect(safeNext(c.req.query('next')), 303);
    const t = c.var.t;
    const notice = c.req.query('loggedOut') === '1' ? t.login.loggedOut : c.req.query('passwordSet') === '1' ? t.passwordLink.done : undefined;
    return renderPage(c, t.login.title, <LoginPage t={t} csrfToken={c.var.csrfToken} next={c.req.query('next')} notice={notice} />);
  });

  app.post('/login', async (c) => {
    const t = c.var.t;
    const parsed = loginForm.safeParse(await c.req.parseBody());
    const form = parsed.success ? parsed.data : { email: '', password: '', next: undefined };
    const errors: { email?: string; password?: string; form?: string } = {};
    if (!form.email) errors.email = t.login.emailRequired;
    if (!form.password) errors.password = t.login.passwordRequired;
    if (!errors.email && !errors.password) {
      try {
        const { token, user } = await login(
          c.var.deps.store.db,
          { email: form.email, password: form.password, address: clientAddress(c) },
          policy,
        );
        // A session token this browser held before (perhaps planted) ends here; the new one replaces it.
        const previous = getCookie(c, COOKIES.session);
        if (previous) await endSession(c.var.deps.store.db, previous);
        setAppCookie(c, COOKIES.session, token, Math.round(policy.maxHours * 3600));
        rotateCsrfToken(c);
        if (user.locale) setAppCookie(c, COOKIES.locale, user.locale, 365 * 86400);
        return c.redirect(safeNext(form.next), 303);
      } catch (error) {
        if (error instanceof InvalidCredentials) errors.form = t.login.invalid;
        else if (error instanceof RateLimited) errors.form = t.login.rateLimited;
        else throw error;
      }
    }
    const status = errors.form === t.login.rateLimited ? 429 : errors.form ? 401 : 422;
    return renderPage(
      c,
      t.login.title,
      <LoginPage t={t} csrfToken={c.var.csrfToken} next={form.next} email={form.email} errors={errors} />,
      status,
    );
  });

  app.post('/logout', async (c) => {
    const token = getCookie(c, COOKIES.session);
    if (token) await logout(c.var.deps.store.db, token);
    deleteCookie(c, COOKIES.session, { path: '/' });
    rotateCsrfToken(c);
    return c.redirect('/login?loggedOut=1', 303);
  });

  app.post('/language', async (c) => {
    const body = await c.req.parseBody();
    const locale = body.locale;
    if (isLocale(locale)) {
      setAppCookie(c, COOKIES.locale, locale, 365 * 86400);
      if (c.var.user) await setUserLocale(c.var.deps.store.db, c.var.user.id, locale);
    }
    return c.redirect(safeNext(typeof body.next === 'string' ? body.next : undefined), 303);
  });

  return app;
}
