import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import type { Actor } from '../../services/actor.ts';
import { changePassword, PasswordChangeRefused } from '../../services/account.ts';
import { getCalendarFeedState, renewCalendarFeed } from '../../services/calendar-feed.ts';
import { exportPersonalData } from '../../services/privacy.ts';
import { COOKIES, type AppEnv } from '../../web/context.ts';
import { requireUser } from '../../web/guards.ts';
import { noticeText, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { clientAddress } from '../../web/request.ts';
import { AccountPage } from './account-page.tsx';
import { PasswordPage } from './password-page.tsx';

/** The feed's public address: PUBLIC_URL when configured, else the origin of this request. */
function calendarFeedAddress(c: Context<AppEnv>, token: string): string {
  return new URL(`/calendar/${token}.ics`, c.var.deps.config.PUBLIC_URL ?? c.req.url).toString();
}

/** The signed-in person acting on their own account. */
function selfActor(c: Context<AppEnv>): Actor {
  const user = requireUser(c);
  return { id: user.id, roles: user.roles, source: 'participant' };
}

// Anything that is not a text field counts as empty; lengths are judged by the service, which
// never hashes or verifies an over-long value.
const passwordForm = z.object({
  current: z.string().catch(''),
  new: z.string().catch(''),
  repeat: z.string().catch(''),
});

/** **Mijn account**: the person's data (page and JSON download) and the password change. */
export function accountRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/account', async (c) => {
    const user = requireUser(c);
    const actor = selfActor(c);
    const { t, locale } = c.var;
    const { db } = c.var.deps.store;
    const passwordNotice = c.req.query('passwordChanged') === '1' ? t.account.passwordChanged : undefined;
    // A new feed address comes from this session's notice, once: never from the page's own address.
    const saved = await takeNotice(c);
    const { createdAt } = await getCalendarFeedState(db, actor);
    const feed = { createdAt, newAddress: saved?.key === 'calendar-address' ? noticeText(saved, 'address') || undefined : undefined };
    return renderPage(c, t.account.title, <AccountPage user={user} t={t} locale={locale} notice={passwordNotice} feed={feed} csrfToken={c.var.csrfToken} />);
  });

  /** A new private calendar address (the first, or a renewal that ends the old one), shown once on the account page. */
  app.post('/account/calendar', async (c) => {
    const actor = selfActor(c);
    const { deps } = c.var;
    const { token } = await renewCalendarFeed(deps.store.db, actor);
    deps.logger.info({ event: 'calendar_feed_renewed', requestId: c.var.requestId, userId: actor.id }, 'calendar feed address renewed');
    return redirectWithNotice(c, '/account#calendar', 'calendar-address', { address: calendarFeedAddress(c, token) });
  });

  app.get('/account/data.json', async (c) => {
    const actor = selfActor(c);
    const data = await exportPersonalData(c.var.deps.store.db, actor, { sessionToken: getCookie(c, COOKIES.session) });
    c.header('Content-Disposition', `attachment; filename="presentia-data-${data.exportedAt.slice(0, 10)}.json"`);
    c.header('Cache-Control', 'no-store');
    return c.body(JSON.stringify(data, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/account/password', (c) => {
    requireUser(c);
    const { t } = c.var;
    return renderPage(c, t.account.passwordPageTitle, <PasswordPage t={t} csrfToken={c.var.csrfToken} />);
  });

  app.post('/account/password', async (c) => {
    const actor = selfActor(c);
    const { t, deps } = c.var;
    const form = passwordForm.parse(await c.req.parseBody());
    try {
      const { endedSessions } = await changePassword(deps.store.db, actor, {
        currentPassword: form.current,
        newPassword: form.new,
        repeatPassword: form.repeat,
        sessionToken: getCookie(c, COOKIES.session) ?? '',
        address: clientAddress(c),
      });
      // An audit line without the password or anything from the history: who, when, from where.
      deps.logger.info(
        { event: 'password_changed', requestId: c.var.requestId, userId: actor.id, address: clientAddress(c), endedSessions },
        'password changed',
      );
      return c.redirect('/account?passwordChanged=1#banner', 303);
    } catch (error) {
      if (!(error instanceof PasswordChangeRefused)) throw error;
      if (error.problems.get('current') === 'current_wrong' || error.problems.get('form') === 'rate_limited') {
        deps.logger.warn(
          { event: 'password_change_refused', requestId: c.var.requestId, userId: actor.id, address: clientAddress(c), reason: [...error.problems.values()] },
          'password change refused',
        );
      }
      const status = error.problems.get('form') === 'rate_limited' ? 429 : 422;
      return renderPage(c, t.account.passwordPageTitle, <PasswordPage t={t} csrfToken={c.var.csrfToken} problems={error.problems} />, status);
    }
  });

  return app;
}
