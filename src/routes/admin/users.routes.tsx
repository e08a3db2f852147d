import { Hono, type Context } from 'hono';
import { anonymiseUser, AnonymiseRefused } from '../../services/privacy-anonymise.ts';
import { findUsers, getUserForAdmin, MAX_USERS_PAGE } from '../../services/privacy-users.ts';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { UserPage, UsersPage } from './users-pages.tsx';
import { adminActor } from './admin-forms.tsx';

/** **Gebruikers** for administrators: search people, open one, anonymise a person who has left. */
export function adminUserRoutes() {
  const app = new Hono<AppEnv>();

  app.get('/admin/users', async (c) => {
    const actor = adminActor(c);
    const page = Math.max(0, Math.min(MAX_USERS_PAGE, Number.parseInt(c.req.query('page') ?? '0', 10) || 0));
    const found = await findUsers(c.var.deps.store.db, actor, { query: c.req.query('q') ?? '', page });
    return renderPage(c, c.var.t.adminUsers.title, <UsersPage found={found} t={c.var.t} />);
  });

  // A person's page (GET /admin/users/:id) is served by the account routes, with the account panels.

  app.post('/admin/users/:id/anonymise', async (c) => {
    const actor = adminActor(c);
    const { db } = c.var.deps.store;
    const { t, locale } = c.var;
    const userId = c.req.param('id');
    const body = await c.req.parseBody();
    const user = await getUserForAdmin(db, actor, userId);
    const again = (status: 403 | 422, extra: { banner?: { tone: 'error'; text: string }; confirmError?: string }) =>
      renderPage(c, user.name, <UserPage user={user} t={t} locale={locale} csrfToken={c.var.csrfToken} {...extra} />, status);

    // The page of an anonymised person has no form to show a missing confirmation beside: say why first.
    if (user.anonymised_at) return again(403, { banner: { tone: 'error', text: t.adminUsers.alreadyAnonymised } });
    if (body.confirm !== '1') return again(422, { confirmError: t.adminUsers.confirmRequired });
    try {
      const result = await anonymiseUser(db, actor, userId, { dataDir: c.var.deps.config.DATA_DIR });
      c.var.deps.logger.info(
        { event: 'user_anonymised', requestId: c.var.requestId, actorId: actor.id, userId, proofFilesDeleted: result.proofFilesDeleted },
        'user anonymised',
      );
      return c.redirect(`/admin/users/${encodeURIComponent(userId)}?anonymised=1#banner`, 303);
    } catch (error) {
      if (error instanceof AnonymiseRefused) return again(403, { banner: { tone: 'error', text: t.adminUsers[error.reason] } });
      throw error;
    }
  });

  return app;
}
