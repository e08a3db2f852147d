import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { numberedIdRange, numberedIdSql } from '../db/exclusive.ts';
import { newId, type Database, type Db } from '../db/index.ts';
import type { PageRequest } from '../db/keyset.ts';
import { EVENT_RULES, WEBHOOK_CHANNEL } from '../domain/webhooks.ts';

/** Webhook subscriptions, the outbox rows of their events, and their delivery log. SQL only. */

export async function insertWebhook(db: Db, row: { id: string; url: string; secret: string; created_at: string; created_by: string }, events: readonly string[]): Promise<void> {
  await db.insertInto('webhook_subscriptions').values({ ...row, deactivated_at: null }).execute();
  if (events.length > 0) await db.insertInto('webhook_subscription_events').values(events.map((event_type) => ({ subscription_id: row.id, event_type }))).execute();
}

/** Subscriptions newest first (ids are ULIDs), a keyset page at a time, with their events. */
export async function listWebhooksPage(db: Db, page: PageRequest) {
  let q = db.selectFrom('webhook_subscriptions as s').leftJoin('users as m', 'm.id', 's.created_by').select(['s.id', 's.url', 's.created_at', 's.deactivated_at', 'm.name as maker_name']);
  // Newest first: "after" a row means an older id.
  if (page.after) q = q.where('s.id', '<', page.after[0]!);
  else if (page.before) q = q.where('s.id', '>', page.before[0]!);
  const rows = await q
    .orderBy('s.id', page.before && !page.after ? 'asc' : 'desc')
    .limit(page.limit + 1)
    .execute();
  const events = await listEvents(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, events: events.get(r.id) ?? [] }));
}

async function listEvents(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0) return out;
  const rows = await db.selectFrom('webhook_subscription_events').select(['subscription_id', 'event_type']).where('subscription_id', 'in', ids).orderBy('event_type').execute();
  for (const r of rows) out.set(r.subscription_id, [...(out.get(r.subscription_id) ?? []), r.event_type]);
  return out;
}

export async function getWebhook(db: Db, id: string) {
  const row = await db.selectFrom('webhook_subscriptions').select(['id', 'url', 'created_at', 'deactivated_at']).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, events: (await listEvents(db, [id])).get(id) ?? [] };
}

/** Deactivates a subscription that is active; answers whether it did. */
export async function deactivateWebhook(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('webhook_subscriptions').set({ deactivated_at: at }).where('id', '=', id).where('deactivated_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes a subscription with its deliveries and their attempts. */
export async function deleteWebhook(db: Db, id: string): Promise<void> {
  await db.deleteFrom('outbox_attempts').where('message_id', 'in', (eb) => eb.selectFrom('outbox').select('id').where('subscription_id', '=', id)).execute();
  await db.deleteFrom('outbox').where('subscription_id', '=', id).execute();
  await db.deleteFrom('webhook_subscription_events').where('subscription_id', '=', id).execute();
  await db.deleteFrom('webhook_subscriptions').where('id', '=', id).execute();
}

/** Whether any subscription is active: when none is, no change looks further. */
export async function hasActiveWebhook(db: Db): Promise<boolean> {
  return (await db.selectFrom('webhook_subscriptions').select('id').where('deactivated_at', 'is', null).limit(1).executeTakeFirst()) !== undefined;
}

/** The event type of history row `h` as SQL, from the one table of rules (null: no event). */
function eventTypeSql() {
  const isSet = (column: string, want: 'set' | 'null') => (want === 'set' ? sql`${sql.ref(column)} is not null` : sql`${sql.ref(column)} is null`);
  const whens = EVENT_RULES.map((r) => {
    const note = r.unlessNote === undefined ? sql`` : sql` and coalesce(h.note, '') <> ${sql.lit(r.unlessNote)}`;
    return sql`when h.field = ${sql.lit(r.field)} and ${isSet('h.old_value', r.old)} and ${isSet('h.new_value', r.new)}${note} then ${sql.lit(r.type)}`;
  });
  return sql<string | null>`(case ${sql.join(whens, sql` `)} end)`;
}

const EVENT_FIELDS = [...new Set(EVENT_RULES.map((r) => r.field))];
/** History ids per statement: well under both databases' bound-parameter limits. */
const IDS_PER_STATEMENT = 5000;

/**
 * Writes, in the caller's transaction, one outbox row (channel `webhook`) for each pair of a history
 * row chosen by `which` and an active subscription to its event, set-based: one insert-select per
 * statement's worth of rows, however many rows and subscriptions. `which` names the rows by id, or
 * as the id range of an insert-select that wrote them (the study-term sweep's `idPrefix`). The
 * delivery is due at once (the history row's time). Returns how many were written.
 */
export async function queueWebhookEvents(db: Db, which: { historyIds: readonly string[] } | { idPrefix: string }): Promise<number> {
  const prefix = newId().slice(0, 16);
  const filters: ((eb: ExpressionBuilder<Database & { h: Database['history'] }, 'h'>) => Expression<SqlBool>)[] = [];
  if ('idPrefix' in which) {
    const range = numberedIdRange(which.idPrefix);
    filters.push((eb) => eb.and([eb('h.id', '>=', range.first), eb('h.id', '<=', range.last)]));
  } else {
    for (let i = 0; i < which.historyIds.length; i += IDS_PER_STATEMENT) {
      const ids = which.historyIds.slice(i, i + IDS_PER_STATEMENT);
      filters.push((eb) => eb('h.id', 'in', ids));
    }
  }
  let written = 0;
  for (const filter of filters) {
    const rows = db
      .selectFrom('history as h')
      .innerJoin('webhook_subscription_events as ev', (join) => join.on(sql<SqlBool>`ev.event_type = ${eventTypeSql()}`))
      .innerJoin('webhook_subscriptions as s', 's.id', 'ev.subscription_id')
      .where('s.deactivated_at', 'is', null)
      .where('h.field', 'in', EVENT_FIELDS)
      .where(filter)
      .select([
        numberedIdSql(prefix, sql`h.id, s.id`, written).as('id'),
        sql.lit(WEBHOOK_CHANNEL).as('channel'),
        'ev.event_type as kind',
        's.url as recipient',
        sql.lit('{}').as('payload'),
        sql.lit('pending').as('state'),
        'h.at as next_attempt_at',
        'h.at as created_at',
        's.id as subscription_id',
        'h.id as history_id',
      ]);
    const result = await db
      .insertInto('outbox')
      .columns(['id', 'channel', 'kind', 'recipient', 'payload', 'state', 'next_attempt_at', 'created_at', 'subscription_id', 'history_id'])
      .expression(rows)
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return written;
}

/**
 * What the delivery of one outbox row needs: its subscription's address, secret and state, and the
 * history row of its event with the certificate's verification code where the event is about one.
 */
export async function getWebhookDelivery(db: Db, messageId: string) {
  return db
    .selectFrom('outbox as o')
    .leftJoin('webhook_subscriptions as s', 's.id', 'o.subscription_id')
    .leftJoin('history as h', 'h.id', 'o.history_id')
    .leftJoin('certificates as c', (join) => join.on((eb) => eb.and([eb('h.field', '=', 'certificate'), eb('c.number', '=', eb.fn.coalesce('h.new_value', 'h.old_value'))])))
    .select([
      'o.id',
      'o.kind',
      's.url',
      's.secret',
      's.deactivated_at',
      'h.id as history_id',
      'h.at',
      'h.source',
      'h.user_id',
      'h.enrolment_id',
      'h.run_id',
      'h.old_value',
      'h.new_value',
      'h.note',
      'c.verification_code',
    ])
    .where('o.id', '=', messageId)
    .executeTakeFirst();
}

/**
 * A subscription's deliveries newest first, a keyset page at a time: event, time, attempts, state,
 * and the last attempt's HTTP status and error.
 */
export async function listWebhookDeliveriesPage(db: Db, subscriptionId: string, page: PageRequest) {
  let q = db
    .selectFrom('outbox as o')
    .select((eb) => [
      'o.id',
      'o.kind',
      'o.created_at',
      'o.attempts',
      'o.state',
      'o.last_error',
      'o.next_attempt_at',
      'o.finished_at',
      eb.selectFrom('outbox_attempts as a').select('a.response_status').whereRef('a.message_id', '=', 'o.id').orderBy('a.attempt', 'desc').orderBy('a.id', 'desc').limit(1).as('last_status'),
    ])
    .where('o.subscription_id', '=', subscriptionId)
    .where('o.channel', '=', WEBHOOK_CHANNEL);
  if (page.after) q = q.where('o.id', '<', page.after[0]!);
  else if (page.before) q = q.where('o.id', '>', page.before[0]!);
  return q
    .orderBy('o.id', page.before && !page.after ? 'asc' : 'desc')
    .limit(page.limit + 1)
    .execute();
}
