import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from './context.ts';

/** Whether this request reached us over HTTPS (directly, via PUBLIC_URL, or via a trusted proxy). */
export function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  const { config } = c.var.deps;
  if (config.PUBLIC_URL?.startsWith('https://')) return true;
  return config.TRUST_PROXY && c.req.header('x-forwarded-proto') === 'https';
}

/** Sets a cookie the way Presentia sets every cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export function setAppCookie(c: Context<AppEnv>, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  });
}
