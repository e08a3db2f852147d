import { insertRows } from '../db/bulk.ts';
import { newId, type Db } from '../db/index.ts';
import type { HistoryTable } from '../db/schema.ts';
import { enrolmentHistoryEntry, type HistoryChange, type HistoryEntry } from '../domain/history-entry.ts';
import { webhookEventOf } from '../domain/webhooks.ts';
import { hasActiveWebhook, queueWebhookEvents } from './webhooks.ts';

export type { HistoryChange, HistoryEntry };

const HISTORY_COLUMNS = ['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'] as const satisfies readonly (keyof HistoryTable)[];

/** A history row (R9) of a change that `actor` made at `at` to an enrolment, with a new id. */
export function enrolmentHistory(
  actor: { id: string; source: HistoryEntry['source'] },
  at: string,
  enrolment: { id: string; user_id: string; run_id: string | null },
  change: HistoryChange,
): HistoryEntry {
  return enrolmentHistoryEntry(actor, at, enrolment, change, newId());
}

/**
 * Appends history rows (R9); history is never updated or deleted. A save writes thousands: see
 * insertRows. The rows go straight into the table that holds their source (`history_system` for
 * the system's, `history_main` for every other; migrations 0200 and 0210), past PostgreSQL's
 * routing and SQLite's triggers. Every status change, certificate issued or revoked, and enrolment
 * made or removed is a history row written here, so this is also where their webhook events are
 * raised: in the same transaction, one outbox row per row and subscription (only when a row raises
 * an event and a subscription is active).
 */
export async function appendHistory(db: Db, rows: readonly HistoryEntry[]): Promise<void> {
  const system = rows.filter((r) => r.source === 'system');
  const others = system.length === 0 ? rows : rows.filter((r) => r.source !== 'system');
  await insertRows(db, 'history_main', HISTORY_COLUMNS, others);
  await insertRows(db, 'history_system', HISTORY_COLUMNS, system);
  const raising = rows.filter((r) => webhookEventOf(r) !== null).map((r) => r.id!);
  if (raising.length > 0 && (await hasActiveWebhook(db))) await queueWebhookEvents(db, { historyIds: raising });
}

/**
 * What a page of history shows of each row: the change, its meeting's time and who made it. The
 * query joins `users as actor` and `meetings as m` to `history as h` (the audit history adds more).
 */
export const HISTORY_ROW_COLUMNS = [
  'h.id',
  'h.at',
  'h.source',
  'h.field',
  'h.old_value',
  'h.new_value',
  'h.note',
  'h.user_id',
  'h.enrolment_id',
  'h.run_id',
  'h.meeting_id',
  'm.starts_at as meeting_starts_at',
  'actor.name as actor_name',
] as const;

/**
 * One page of history, newest first, for a participant or a run (keyset pagination on the
 * time-ordered id: `before` is the last id of the previous page).
 */
export async function listHistory(
  db: Db,
  filter: { userId?: string; runId?: string; enrolmentId?: string; before?: string; limit: number },
) {
  let q = db
    .selectFrom('history as h')
    .leftJoin('users as actor', 'actor.id', 'h.actor_id')
    .leftJoin('meetings as m', 'm.id', 'h.meeting_id')
    .select(HISTORY_ROW_COLUMNS);
  if (filter.userId) q = q.where('h.user_id', '=', filter.userId);
  if (filter.runId) q = q.where('h.run_id', '=', filter.runId);
  if (filter.enrolmentId) q = q.where('h.enrolment_id', '=', filter.enrolmentId);
  if (filter.before) q = q.where('h.id', '<', filter.before);
  return q.orderBy('h.id', 'desc').limit(filter.limit).execute();
}

export type HistoryListRow = Awaited<ReturnType<typeof listHistory>>[number];

/**
 * The latest status change of each given enrolment: who made it and the status it replaced (R1:
 * who may correct a status no longer active). One query through `(enrolment_id, field, id)`; the
 * newest row per enrolment is kept. No `order by`: to skip the sort SQLite would read every status
 * change ever made through `(field, id)` (migration 0190).
 */
export async function listLastStatusChanges(db: Db, enrolmentIds: readonly string[]) {
  const latest = new Map<string, { id: string; actorId: string | null; from: string | null }>();
  if (enrolmentIds.length === 0) return latest;
  const rows = await db
    .selectFrom('history')
    .select(['id', 'enrolment_id', 'actor_id', 'old_value'])
    .where('field', '=', 'status')
    .where('enrolment_id', 'in', enrolmentIds)
    .execute();
  for (const r of rows) {
    if (!r.enrolment_id) continue;
    const seen = latest.get(r.enrolment_id);
    // Ids are time-ordered: the greatest is the newest change.
    if (!seen || r.id > seen.id) latest.set(r.enrolment_id, { id: r.id, actorId: r.actor_id, from: r.old_value });
  }
  return latest;
}
