import type { Db } from '../db/index.ts';
import type { HistoryTable } from '../db/schema.ts';
import { HISTORY_ROW_COLUMNS } from './history.ts';

/** The administrators' history filters, resolved to ids and instants. */
export interface AuditFilter {
  runId?: string | undefined;
  userId?: string | undefined;
  actorId?: string | undefined;
  field?: HistoryTable['field'] | undefined;
  /** Instants (ISO-8601 UTC): from inclusive, until exclusive. */
  from?: string | undefined;
  until?: string | undefined;
}

/**
 * One keyset page (limit + 1 rows) of history matching the filter, newest first: `after` is the id
 * of the previous page's last row (older rows follow), `before` of the next page's first row (the
 * newer rows, read oldest first). Each filter has an index ending in the id (migration 0063).
 */
export async function listAuditHistory(db: Db, filter: AuditFilter, page: { after?: string | undefined; before?: string | undefined; limit: number }) {
  const backwards = !!page.before && !page.after;
  let q = db
    .selectFrom('history as h')
    .leftJoin('users as actor', 'actor.id', 'h.actor_id')
    .leftJoin('users as person', 'person.id', 'h.user_id')
    .leftJoin('runs as r', 'r.id', 'h.run_id')
    .leftJoin('meetings as m', 'm.id', 'h.meeting_id')
    .select([
      ...HISTORY_ROW_COLUMNS,
      'actor.email as actor_email',
      'person.name as person_name',
      'person.email as person_email',
      'r.code as run_code',
    ]);
  if (filter.runId) q = q.where('h.run_id', '=', filter.runId);
  if (filter.userId) q = q.where('h.user_id', '=', filter.userId);
  if (filter.actorId) q = q.where('h.actor_id', '=', filter.actorId);
  if (filter.field) q = q.where('h.field', '=', filter.field);
  if (filter.from) q = q.where('h.at', '>=', filter.from);
  if (filter.until) q = q.where('h.at', '<', filter.until);
  if (page.after) q = q.where('h.id', '<', page.after);
  else if (page.before) q = q.where('h.id', '>', page.before);
  return q.orderBy('h.id', backwards ? 'asc' : 'desc').limit(page.limit + 1).execute();
}

export type AuditRow = Awaited<ReturnType<typeof listAuditHistory>>[number];

export async function getUserIdByEmail(db: Db, email: string): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row?.id;
}

export async function getRunIdByCode(db: Db, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('runs').select('id').where('code', '=', code.trim()).executeTakeFirst();
  return row?.id;
}
