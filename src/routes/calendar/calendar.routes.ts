import { Hono } from 'hono';
import { calendarFeedFor } from '../../services/calendar-feed.ts';
import type { AppEnv } from '../../web/context.ts';

/**
 * The private calendar feeds: `/calendar/<token>.ics`, read by calendar programs without a session.
 * The token is the only key; an unknown or renewed one is "not found", like any other address.
 */
export function calendarRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/calendar/:file{[0-9A-Za-z_-]+\\.ics}', async (c) => {
    const token = c.req.param('file').slice(0, -'.ics'.length);
    const publicUrl = c.var.deps.config.PUBLIC_URL;
    const { ics } = await calendarFeedFor(c.var.deps.store.db, token, { uidDomain: new URL(publicUrl ?? c.req.url).hostname || 'presentia' });
    return c.body(ics, 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': 'inline; filename="presentia.ics"',
      // The feed names the person's meetings: no shared cache keeps it, and no search engine lists it.
      'Cache-Control': 'private, no-store',
      'X-Robots-Tag': 'noindex, nofollow',
    });
  });

  return app;
}
