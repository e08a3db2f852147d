import { randomBytes } from 'node:crypto';
import { newId, nowIso, type Db } from '../db/index.ts';
import { decodeCursor, toKeysetPage } from '../db/keyset.ts';
import { planWebhook, WEBHOOK_SECRET_PREFIX, type WebhookField, type WebhookProblem } from '../domain/webhooks.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { deactivateWebhook as deactivate, deleteWebhook as remove, getWebhook as get, insertWebhook, listWebhookDeliveriesPage, listWebhooksPage } from '../repositories/webhooks.ts';
import type { Actor } from './actor.ts';
import { inTransaction, requireAdmin } from './admin-access.ts';

export const WEBHOOKS_PAGE_SIZE = 50;
export const WEBHOOK_DELIVERIES_PAGE_SIZE = 50;

/** The webhook form was refused; nothing was stored. */
export class WebhookRefused extends AppError {
  constructor(readonly problems: Partial<Record<WebhookField, WebhookProblem>>) {
    super('invalid_input', 422, 'webhook refused');
  }
}

/**
 * Registers a webhook, by an administrator: an http(s) address and the events it wants. Answers the
 * signing secret, which the page shows this once. The secret is stored as it is (the delivery job
 * signs with it), and no page shows it again.
 */
export async function createWebhook(db: Db, actor: Actor, form: { url: string; events: readonly string[] }, now: Date = new Date()) {
  requireAdmin(actor);
  const plan = planWebhook(form);
  if (!plan.ok) throw new WebhookRefused(plan.problems);
  const id = newId();
  const secret = `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
  await inTransaction(db, (trx) => insertWebhook(trx, { id, url: plan.url, secret, created_at: nowIso(now), created_by: actor.id }, plan.events));
  return { id, secret, url: plan.url, events: plan.events };
}

/** One page of webhooks, newest first, for an administrator. */
export async function listWebhooks(db: Db, actor: Actor, cursor: { after?: string | undefined; before?: string | undefined } = {}) {
  requireAdmin(actor);
  const request = { after: decodeCursor(cursor.after, 1), before: decodeCursor(cursor.before, 1), limit: WEBHOOKS_PAGE_SIZE };
  return toKeysetPage(await listWebhooksPage(db, request), request, (r) => [r.id]);
}

/** A webhook, for its delivery log and the confirmation screens. */
export async function getWebhook(db: Db, actor: Actor, id: string) {
  requireAdmin(actor);
  const webhook = await get(db, id);
  if (!webhook) throw new NotFoundOrNoAccess();
  return webhook;
}

/** A webhook's deliveries, newest first, a page at a time: event, time, attempts, last status or error, state. */
export async function listWebhookDeliveries(db: Db, actor: Actor, id: string, cursor: { after?: string | undefined; before?: string | undefined } = {}) {
  const webhook = await getWebhook(db, actor, id);
  const request = { after: decodeCursor(cursor.after, 1), before: decodeCursor(cursor.before, 1), limit: WEBHOOK_DELIVERIES_PAGE_SIZE };
  return { webhook, page: toKeysetPage(await listWebhookDeliveriesPage(db, id, request), request, (r) => [r.id]) };
}

/** Deactivates a webhook: it raises no new events, and deliveries still waiting are skipped. Answers its address. */
export async function deactivateWebhook(db: Db, actor: Actor, id: string, now: Date = new Date()): Promise<string> {
  const webhook = await getWebhook(db, actor, id);
  await deactivate(db, webhook.id, nowIso(now));
  return webhook.url;
}

/** Deletes a webhook with its delivery log. Answers its address. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<string> {
  const webhook = await getWebhook(db, actor, id);
  await inTransaction(db, (trx) => remove(trx, webhook.id));
  return webhook.url;
}
