import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { setFlash, takeFlash, type Notice } from '../services/flash.ts';
import { COOKIES, type AppEnv } from './context.ts';

/*
 * Post/redirect/get for every page but the participants page (which has its own summary): the form's
 * route keeps a notice with the session and redirects; the page it redirects to takes the notice,
 * once, and says what was saved. A reload shows it no more, and no address can make a page show one.
 */

/** Keeps `notice` for the session's next page and redirects there (303: the browser then GETs it). */
export async function redirectWithNotice(c: Context<AppEnv>, location: string, key: string, params: Notice['params'] = {}): Promise<Response> {
  const token = getCookie(c, COOKIES.session);
  if (token) await setFlash(c.var.deps.store.db, token, { kind: 'notice', key, params });
  return c.redirect(location, 303);
}

/** The notice this session was left by the form it just sent, taken from the session; undefined when there is none. */
export async function takeNotice(c: Context<AppEnv>): Promise<Notice | undefined> {
  const flash = await takeFlash(c.var.deps.store.db, getCookie(c, COOKIES.session));
  return flash?.kind === 'notice' ? { key: flash.key, params: flash.params } : undefined;
}

/** A count from a notice (0 when it is missing or not a number). */
export function noticeCount(notice: Notice, name: string): number {
  const value = notice.params[name];
  return typeof value === 'number' ? value : 0;
}

/** A text from a notice ('' when it is missing). */
export function noticeText(notice: Notice, name: string): string {
  const value = notice.params[name];
  return typeof value === 'string' ? value : '';
}
