import type { Insertable } from 'kysely';
import { insertRows } from '../db/bulk.ts';
import type { Db } from '../db/index.ts';
import type { WaitingListTable } from '../db/schema.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/**
 * Locks a run's row until the transaction ends and returns what placing people in it needs. Every
 * change to who takes part in a run takes this lock first, so two administrators placing people in
 * the same run at once are served one after the other (PostgreSQL; SQLite's write transactions
 * already run one at a time, see src/db/row-locks.ts).
 */
export async function lockRunForPlaces(db: Db, runId: string) {
  const locked = await db.selectFrom('runs').select('id').where('id', '=', runId).forNoKeyUpdate().executeTakeFirst();
  if (!locked) return undefined;
  return db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select(['r.id', 'r.code', 'r.course_id', 'r.capacity', 'r.cancelled_at', 'r.starts_on', 'c.kind as course_kind', 'c.study_term_days', 'c.study_term_ends_on'])
    .where('r.id', '=', runId)
    .executeTakeFirst();
}

/** Enrolments in the run that hold a place (every status but withdrawn, cancelled, archived, exempted). */
export async function countTakenPlaces(db: Db, runId: string): Promise<number> {
  const row = await db
    .selectFrom('enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('run_id', '=', runId)
    .where('status', 'not in', [...INACTIVE_STATUSES])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The user ids on a run's waiting list, first in line first. */
export async function listWaitingUserIds(db: Db, runId: string): Promise<string[]> {
  const rows = await db.selectFrom('waiting_list').select('user_id').where('run_id', '=', runId).orderBy('id').execute();
  return rows.map((r) => r.user_id);
}

/** Which of `userIds` hold a place in the run. */
export async function listTakingPart(db: Db, runId: string, userIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < userIds.length; i += 1000) {
    const slice = userIds.slice(i, i + 1000);
    const rows = await db
      .selectFrom('enrolments')
      .select('user_id')
      .where('run_id', '=', runId)
      .where('user_id', 'in', slice)
      .where('status', 'not in', [...INACTIVE_STATUSES])
      .execute();
    for (const r of rows) out.add(r.user_id);
  }
  return out;
}

export async function insertWaiting(db: Db, rows: readonly Insertable<WaitingListTable>[]): Promise<void> {
  await insertRows(db, 'waiting_list', ['id', 'run_id', 'user_id', 'added_at', 'added_by'], rows);
}

/** Takes people off a run's waiting list. */
export async function deleteWaiting(db: Db, runId: string, userIds: readonly string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += 1000) {
    await db.deleteFrom('waiting_list').where('run_id', '=', runId).where('user_id', 'in', userIds.slice(i, i + 1000)).execute();
  }
}
