import { Hono, type Context } from 'hono';
import type { Actor } from '../../services/actor.ts';
import {
  AccountRefused,
  createAccount,
  createPasswordLink,
  deactivateAccount,
  getPasswordLink,
  PasswordLinkRefused,
  reactivateAccount,
  setPasswordWithLink,
  updateAccount,
} from '../../services/admin-users.ts';
import { getUserForAdmin } from '../../services/privacy-users.ts';
import { EmailInUse, InvalidUserInput } from '../../services/users.ts';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { renderPage } from '../../web/render.tsx';
import { AccountPanels, NewUserPage, PasswordLinkNotice, SetPasswordPage, type AccountFormValues } from './accounts-pages.tsx';
import { UserPage } from './users-pages.tsx';
import { adminActor } from './admin-forms.tsx';

/** The account form as sent: single text values (a repeated or file field counts as empty) and the ticked roles. */
async function readAccountForm(c: Context<AppEnv>): Promise<AccountFormValues> {
  const body = await c.req.parseBody({ all: true });
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const roles = ([] as unknown[]).concat(body.roles ?? []).filter((r): r is string => typeof r === 'string');
  return { email: text('email').slice(0, 1000), name: text('name').slice(0, 1000), roles };
}

/** A refused account form's reasons, per field, in the reader's language. */
function accountErrors(c: Context<AppEnv>, error: unknown): FieldErrors | undefined {
  const problems = c.var.t.adminAccounts.problems;
  if (error instanceof EmailInUse) return { email: problems.email_in_use };
  if (error instanceof InvalidUserInput) {
    const errors: Record<string, string> = {};
    for (const p of error.problems) if (p.code in problems) errors[p.field] ??= problems[p.code as keyof typeof problems];
    return errors;
  }
  return undefined;
}

/** The full address of a one-time link, for the administrator to pass on. */
function absolute(c: Context<AppEnv>, path: string): string {
  return new URL(path, c.var.deps.config.PUBLIC_URL ?? c.req.url).toString();
}

const BANNERS = ['saved', 'unchanged', 'deactivated', 'reactivated'] as const;

/** Accounts for administrators (create, edit, deactivate, password links) and the page a password link opens. */
export function adminAccountRoutes() {
  const app = new Hono<AppEnv>();

  const userPage = async (
    c: Context<AppEnv>,
    actor: Actor,
    userId: string,
    extra: { status?: 200 | 403 | 409 | 422; banner?: { tone: 'success' | 'error'; text: string }; values?: AccountFormValues; errors?: FieldErrors; link?: { url: string; expiresAt: string } } = {},
  ) => {
    const { t, locale } = c.var;
    const user = await getUserForAdmin(c.var.deps.store.db, actor, userId);
    const account = (
      <>
        {extra.link && <PasswordLinkNotice t={t} locale={locale} url={extra.link.url} expiresAt={extra.link.expiresAt} />}
        <AccountPanels user={user} t={t} locale={locale} csrfToken={c.var.csrfToken} values={extra.values} errors={extra.errors} />
      </>
    );
    return renderPage(c, user.name, <UserPage user={user} t={t} locale={locale} csrfToken={c.var.csrfToken} banner={extra.banner} account={account} />, extra.status ?? 200);
  };

  app.get('/admin/users/new', (c) => {
    adminActor(c);
    return renderPage(c, c.var.t.adminAccounts.newTitle, <NewUserPage t={c.var.t} csrfToken={c.var.csrfToken} values={{ email: '', name: '', roles: ['participant'] }} errors={{}} />);
  });

  app.post('/admin/users/new', async (c) => {
    const actor = adminActor(c);
    const values = await readAccountForm(c);
    try {
      const created = await createAccount(c.var.deps.store.db, actor, values);
      const link = { url: absolute(c, created.passwordPath), expiresAt: created.expiresAt };
      // Shown in the answer itself, not after a redirect: the link exists only in this response.
      return userPage(c, actor, created.id, { banner: { tone: 'success', text: c.var.t.adminAccounts.created(created.name) }, link });
    } catch (error) {
      const errors = accountErrors(c, error);
      if (!errors) throw error;
      return renderPage(c, c.var.t.adminAccounts.newTitle, <NewUserPage t={c.var.t} csrfToken={c.var.csrfToken} values={values} errors={errors} />, 422);
    }
  });

  app.get('/admin/users/:id', async (c) => {
    const actor = adminActor(c);
    const { t } = c.var;
    const shown = c.req.query('anonymised') === '1' ? t.adminUsers.anonymised : BANNERS.filter((b) => c.req.query(b) === '1').map((b) => t.adminAccounts[b])[0];
    return userPage(c, actor, c.req.param('id'), { ...(shown ? { banner: { tone: 'success', text: shown } } : {}) });
  });

  app.post('/admin/users/:id', async (c) => {
    const actor = adminActor(c);
    const userId = c.req.param('id');
    const values = await readAccountForm(c);
    try {
      const { changed } = await updateAccount(c.var.deps.store.db, actor, userId, values);
      return c.redirect(`/admin/users/${encodeURIComponent(userId)}?${changed > 0 ? 'saved' : 'unchanged'}=1#banner`, 303);
    } catch (error) {
      const errors = accountErrors(c, error);
      if (errors) return userPage(c, actor, userId, { status: 422, values, errors });
      if (error instanceof AccountRefused) return userPage(c, actor, userId, { status: 409, values, banner: { tone: 'error', text: c.var.t.adminAccounts.refusals[error.reason] } });
      throw error;
    }
  });

  for (const [action, run, flag] of [
    ['deactivate', deactivateAccount, 'deactivated'],
    ['reactivate', reactivateAccount, 'reactivated'],
  ] as const) {
    app.post(`/admin/users/:id/${action}`, async (c) => {
      const actor = adminActor(c);
      const userId = c.req.param('id');
      try {
        await run(c.var.deps.store.db, actor, userId);
        return c.redirect(`/admin/users/${encodeURIComponent(userId)}?${flag}=1#banner`, 303);
      } catch (error) {
        if (error instanceof AccountRefused) return userPage(c, actor, userId, { status: 409, banner: { tone: 'error', text: c.var.t.adminAccounts.refusals[error.reason] } });
        throw error;
      }
    });
  }

  app.post('/admin/users/:id/password-link', async (c) => {
    const actor = adminActor(c);
    const userId = c.req.param('id');
    try {
      const link = await createPasswordLink(c.var.deps.store.db, actor, userId);
      return userPage(c, actor, userId, { link: { url: absolute(c, link.passwordPath), expiresAt: link.expiresAt } });
    } catch (error) {
      if (error instanceof AccountRefused) return userPage(c, actor, userId, { status: 409, banner: { tone: 'error', text: c.var.t.adminAccounts.refusals[error.reason] } });
      throw error;
    }
  });

  app.get('/password/:token', async (c) => {
    const token = c.req.param('token');
    const link = await getPasswordLink(c.var.deps.store.db, token);
    return renderPage(c, c.var.t.passwordLink.title, <SetPasswordPage t={c.var.t} csrfToken={c.var.csrfToken} token={token} name={link?.name} />, link ? 200 : 410);
  });

  app.post('/password/:token', async (c) => {
    const token = c.req.param('token');
    const { db } = c.var.deps.store;
    const body = await c.req.parseBody();
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    try {
      await setPasswordWithLink(db, token, { password: text('password'), repeat: text('repeat') });
      return c.redirect('/login?passwordSet=1', 303);
    } catch (error) {
      if (!(error instanceof PasswordLinkRefused)) throw error;
      const { t } = c.var;
      if (error.problems === 'link_unusable') return renderPage(c, t.passwordLink.title, <SetPasswordPage t={t} csrfToken={c.var.csrfToken} token={token} />, 410);
      const link = await getPasswordLink(db, token);
      const errors: Record<string, string> = {};
      for (const [field, problem] of error.problems) errors[field === 'new' ? 'password' : field === 'repeat' ? 'repeat' : 'password'] ??= t.account.errors[problem];
      return renderPage(c, t.passwordLink.title, <SetPasswordPage t={t} csrfToken={c.var.csrfToken} token={token} name={link?.name} errors={errors} />, 422);
    }
  });

  return app;
}
