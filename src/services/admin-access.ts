import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import type { CatalogHistoryField } from '../db/schema.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory } from '../repositories/history.ts';
import type { Actor } from './actor.ts';

/** Head office's pages are for administrators only; anyone else is told the page does not exist. */
export function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

/** Runs `write` in one transaction (or in the caller's). */
export function inTransaction<T>(db: Db, write: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? write(db) : db.transaction().execute(write);
}

/**
 * Appends one history row of a change to the catalogue, with the administrator as actor (R9).
 * `userId` is the person concerned (a teacher assigned or removed), else the administrator.
 */
export async function recordCatalogChange(
  db: Db,
  actor: Actor,
  change: { field: CatalogHistoryField; userId?: string; runId?: string | null; meetingId?: string | null; old: string | null; new: string | null; note: string | null },
  now: Date = new Date(),
): Promise<void> {
  await appendHistory(db, [
    {
      id: newId(),
      at: nowIso(now),
      actor_id: actor.id,
      source: 'admin',
      user_id: change.userId ?? actor.id,
      enrolment_id: null,
      run_id: change.runId ?? null,
      meeting_id: change.meetingId ?? null,
      field: change.field,
      old_value: change.old,
      new_value: change.new,
      note: change.note,
    },
  ]);
}
