import { Hono, type Context } from 'hono';
import { nowIso } from '../../db/index.ts';
import { brusselsDate } from '../../domain/dates.ts';
import { ApiTokenRefused, createApiToken, listApiTokens, revokeToken } from '../../services/api-tokens.ts';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { noticeText, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';
import { ApiTokensPage, type TokenFormValues } from './api-tokens-pages.tsx';

/** A new form's values: read, a year from today. */
function freshValues(now: Date): TokenFormValues {
  return { name: '', scopes: ['read'], expiresOn: brusselsDate(new Date(now.getTime() + 365 * 86_400_000)), ownerEmail: '' };
}

/** **Beheer → API-tokens**: make a token (shown once), see every token's state and last use, revoke one. */
export function apiTokenRoutes() {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>, extra: { values?: TokenFormValues; errors?: FieldErrors; created?: string; flash?: string; status?: 200 | 422 } = {}) => {
    const actor = adminActor(c);
    const now = new Date();
    const tokens = await listApiTokens(c.var.deps.store.db, actor, { after: c.req.query('after'), before: c.req.query('before') });
    const { t, locale, csrfToken } = c.var;
    return renderPage(
      c,
      t.apiTokens.title,
      <ApiTokensPage t={t} locale={locale} csrfToken={csrfToken} page={tokens} now={nowIso(now)} values={extra.values ?? freshValues(now)} errors={extra.errors ?? {}} created={extra.created} flash={extra.flash} />,
      extra.status ?? 200,
    );
  };

  app.get('/admin/api-tokens', async (c) => {
    adminActor(c);
    const notice = await takeNotice(c);
    return page(c, { flash: notice?.key === 'api_token_revoked' ? c.var.t.apiTokens.revokedFlash(noticeText(notice, 'name')) : undefined });
  });

  app.post('/admin/api-tokens', async (c) => {
    const actor = adminActor(c);
    const body = await c.req.parseBody({ all: true });
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).replace(/\u0000/g, '').slice(0, 1000) : '');
    const scopes = ([] as unknown[]).concat(body.scopes ?? []).filter((s): s is string => typeof s === 'string').slice(0, 10);
    const values: TokenFormValues = { name: text('name'), scopes, expiresOn: text('expiresOn'), ownerEmail: text('ownerEmail') };
    try {
      const created = await createApiToken(c.var.deps.store.db, actor, values);
      // Shown once, here: not a redirect, so the token never travels in an address or a stored message.
      return page(c, { created: created.token });
    } catch (error) {
      if (!(error instanceof ApiTokenRefused)) throw error;
      const texts = c.var.t.apiTokens.problems;
      const { owner, ...rest } = error.problems;
      const errors: FieldErrors = { ...Object.fromEntries(Object.entries(rest).map(([field, code]) => [field, texts[code!]])), ...(owner ? { ownerEmail: texts[owner] } : {}) };
      return page(c, { values, errors, status: 422 });
    }
  });

  app.post('/admin/api-tokens/:id/revoke', async (c) => {
    const actor = adminActor(c);
    const name = await revokeToken(c.var.deps.store.db, actor, c.req.param('id').slice(0, 64));
    return redirectWithNotice(c, '/admin/api-tokens', 'api_token_revoked', { name });
  });

  return app;
}
