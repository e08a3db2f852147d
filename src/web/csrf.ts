import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { CsrfRejected, UnreadableForm } from '../errors.ts';
import { COOKIES, type AppEnv } from './context.ts';
import { setAppCookie } from './cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Issues a fresh CSRF token (at login, so a token planted before login is useless after it). */
export function rotateCsrfToken(c: Context<AppEnv>): string {
  const token = randomBytes(24).toString('base64url');
  setAppCookie(c, COOKIES.csrf, token);
  c.set('csrfToken', token);
  return token;
}

/**
 * CSRF protection for every state-changing request: the request must carry the token of its
 * browser's CSRF cookie (form field `_csrf` or header `x-csrf-token`), and a browser's Origin or
 * Sec-Fetch-Site must not name another site.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const cookieToken = getCookie(c, COOKIES.csrf);
    if (cookieToken) c.set('csrfToken', cookieToken);
    else rotateCsrfToken(c);

    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      const allowed = allowedOrigins(c);
      if (origin !== undefined && !allowed.includes(origin)) throw new CsrfRejected();
      if (c.req.header('sec-fetch-site') === 'cross-site') throw new CsrfRejected();
      // Without the cookie no token can match: refuse before reading (and buffering) any body.
      if (!cookieToken) throw new CsrfRejected();
      let sent = c.req.header(CSRF_HEADER);
      // Read as Hono reads it. A form body is read here even when the token came in the header: the
      // routes then reuse this reading, and a body that cannot be read is a clear 400, not a 500.
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
        const body = await c.req.parseBody({ all: true }).catch(() => {
          throw new UnreadableForm();
        });
        const value = body[CSRF_FIELD];
        if (!sent) sent = typeof value === 'string' ? value : undefined;
      }
      if (!sent || !sameToken(cookieToken, sent)) throw new CsrfRejected();
    }
    await next();
  };
}

function allowedOrigins(c: Context<AppEnv>): string[] {
  const origins = [new URL(c.req.url).origin];
  const publicUrl = c.var.deps.config.PUBLIC_URL;
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  const host = c.req.header('host');
  if (host) origins.push(`http://${host}`, `https://${host}`);
  return origins;
}
