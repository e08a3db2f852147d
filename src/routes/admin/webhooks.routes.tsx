import { Hono, type Context } from 'hono';
import { createWebhook, deactivateWebhook, deleteWebhook, getWebhook, listWebhookDeliveries, listWebhooks, WebhookRefused } from '../../services/webhooks.ts';
import { ConfirmScreen } from '../../views/confirm-screen.tsx';
import type { FieldErrors } from '../../views/form-field.tsx';
import type { AppEnv } from '../../web/context.ts';
import { noticeText, redirectWithNotice, takeNotice } from '../../web/notice.ts';
import { renderPage } from '../../web/render.tsx';
import { adminActor } from './admin-forms.tsx';
import { WEBHOOKS_PATH, WebhookLogPage, WebhooksPage, type WebhookFormValues } from './webhooks-pages.tsx';

/**
 * **Beheer → Webhooks**: register an address and its events (the signing secret shown once), see
 * each webhook's delivery log, deactivate or delete one after a confirmation screen.
 */
export function webhookRoutes() {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>, extra: { values?: WebhookFormValues; errors?: FieldErrors; created?: string; flash?: string; status?: 200 | 422 } = {}) => {
    const actor = adminActor(c);
    const webhooks = await listWebhooks(c.var.deps.store.db, actor, { after: c.req.query('after'), before: c.req.query('before') });
    const { t, locale, csrfToken } = c.var;
    return renderPage(
      c,
      t.webhooks.title,
      <WebhooksPage t={t} locale={locale} csrfToken={csrfToken} page={webhooks} values={extra.values ?? { url: '', events: [] }} errors={extra.errors ?? {}} created={extra.created} flash={extra.flash} />,
      extra.status ?? 200,
    );
  };

  app.get(WEBHOOKS_PATH, async (c) => {
    adminActor(c);
    const notice = await takeNotice(c);
    const tw = c.var.t.webhooks;
    const flash = notice?.key === 'webhook_deactivated' ? tw.deactivatedFlash(noticeText(notice, 'url')) : notice?.key === 'webhook_deleted' ? tw.removedFlash(noticeText(notice, 'url')) : undefined;
    return page(c, { flash });
  });

  app.post(WEBHOOKS_PATH, async (c) => {
    const actor = adminActor(c);
    const body = await c.req.parseBody({ all: true });
    const first = body.url;
    const url = (typeof first === 'string' ? first : '').replace(/\u0000/g, '').slice(0, 4000);
    const events = ([] as unknown[]).concat(body.events ?? []).filter((s): s is string => typeof s === 'string').slice(0, 20);
    const values: WebhookFormValues = { url, events };
    try {
      const created = await createWebhook(c.var.deps.store.db, actor, values);
      // Shown once, here: not a redirect, so the secret never travels in an address or a stored message.
      return page(c, { created: created.secret });
    } catch (error) {
      if (!(error instanceof WebhookRefused)) throw error;
      const texts = c.var.t.webhooks.problems;
      const errors: FieldErrors = Object.fromEntries(Object.entries(error.problems).map(([field, code]) => [field, texts[code!]]));
      return page(c, { values, errors, status: 422 });
    }
  });

  app.get(`${WEBHOOKS_PATH}/:id`, async (c) => {
    const actor = adminActor(c);
    const log = await listWebhookDeliveries(c.var.deps.store.db, actor, c.req.param('id').slice(0, 64), { after: c.req.query('after'), before: c.req.query('before') });
    const { t, locale } = c.var;
    return renderPage(c, t.webhooks.logTitle, <WebhookLogPage t={t} locale={locale} log={log} />);
  });

  /** Deactivate and delete: a confirmation screen first, the change on its confirmed POST. */
  for (const action of ['deactivate', 'delete'] as const) {
    app.post(`${WEBHOOKS_PATH}/:id/${action}`, async (c) => {
      const actor = adminActor(c);
      const id = c.req.param('id').slice(0, 64);
      const { db } = c.var.deps.store;
      const { t, csrfToken } = c.var;
      const tw = t.webhooks;
      const body = await c.req.parseBody();
      if (body.confirm !== '1') {
        const webhook = await getWebhook(db, actor, id);
        const title = action === 'deactivate' ? tw.deactivateTitle : tw.removeTitle;
        return renderPage(
          c,
          title,
          <ConfirmScreen
            title={title}
            intro={action === 'deactivate' ? tw.deactivateIntro(webhook.url) : tw.removeIntro(webhook.url)}
            consequences={action === 'deactivate' ? tw.deactivateConsequences : tw.removeConsequences}
            action={`${WEBHOOKS_PATH}/${encodeURIComponent(webhook.id)}/${action}`}
            confirmLabel={action === 'deactivate' ? tw.deactivate : tw.remove}
            cancelHref={WEBHOOKS_PATH}
            csrfToken={csrfToken}
            t={t}
          />,
        );
      }
      const url = action === 'deactivate' ? await deactivateWebhook(db, actor, id) : await deleteWebhook(db, actor, id);
      return redirectWithNotice(c, WEBHOOKS_PATH, action === 'deactivate' ? 'webhook_deactivated' : 'webhook_deleted', { url });
    });
  }

  return app;
}
