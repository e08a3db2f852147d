import { Hono } from 'hono';
import { moduleMediaType } from '../../domain/elearning-package.ts';
import { NotFoundOrNoAccess } from '../../errors.ts';
import { readModuleFile } from '../../services/course-content.ts';
import type { AppEnv } from '../../web/context.ts';

/**
 * The policy every module file is served with. `sandbox` without `allow-same-origin` runs the module
 * in an opaque origin: its scripts cannot read Presentia's cookies or storage, and whatever they
 * request from Presentia goes out as a cross-site request (no SameSite=Lax session cookie, answers
 * unreadable). It may load only its own files, inline code included, and send nothing anywhere.
 */
export const MODULE_CSP = [
  'sandbox allow-scripts allow-forms allow-popups allow-modals',
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self'",
  "font-src 'self' data:",
  "connect-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * A course's e-learning module, served from its own path under the course. It is registered before
 * the session, CSRF and page-security middleware: a module file needs no session (its unguessable key
 * is its credential, given only to the course's participants by the launch route) and gets headers
 * of its own.
 */
export function moduleRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/courses/:courseId/elearning/:key/*', async (c) => {
    const { courseId, key } = c.req.param();
    const prefix = `/courses/${courseId}/elearning/${key}/`;
    const pathname = new URL(c.req.url).pathname;
    let filePath = '';
    try {
      if (pathname.startsWith(prefix)) filePath = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      filePath = '';
    }
    if (filePath.includes('\0')) filePath = '';
    const headers = {
      'Content-Security-Policy': MODULE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    };
    try {
      const content = await readModuleFile(c.var.deps.store.db, c.var.deps.config.DATA_DIR, courseId, key, filePath);
      return c.body(new Uint8Array(content), 200, { ...headers, 'Content-Type': moduleMediaType(filePath), 'Cache-Control': 'private, max-age=300' });
    } catch (error) {
      if (!(error instanceof NotFoundOrNoAccess)) throw error;
      // Plain text under the module's own policy: the app's error page needs the session and page headers.
      return c.text('404 Not Found', 404, headers);
    }
  });
  return app;
}
