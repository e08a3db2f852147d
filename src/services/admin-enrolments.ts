import { newId, nowIso, type Db } from '../db/index.ts';
import { decodeCursor, toKeysetPage } from '../db/keyset.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory, enrolmentHistory } from '../repositories/history.ts';
import {
  countEnrolmentRecords,
  deleteEnrolment,
  getEnrolmentInRun,
  getEnrolmentWithName,
  getRunSummary,
  listActiveUsersByIds,
  listRunEnrolmentsPage,
  listRunWaitingList,
} from '../repositories/admin-enrolments.ts';
import { deleteWaiting, listWaitingUserIds, lockRunForPlaces } from '../repositories/run-places.ts';
import type { Actor } from './actor.ts';
import { fillFreedPlaces, placeInRun, type PlacementOutcome } from './run-places.ts';

/** Enrolments per page of a run's enrolment list. */
export const RUN_ENROLMENTS_PAGE_SIZE = 50;
/** People placed in one request at most (the CSV import places more, in its own service). */
export const MAX_ENROL_AT_ONCE = 500;

/** Why an enrolment change was refused (i18n keys under `adminEnrolments.refusals`). */
export type EnrolmentRefusal = 'run_cancelled' | 'unknown_people' | 'nobody_chosen' | 'too_many' | 'has_records' | 'not_waiting';

export class EnrolmentRefused extends AppError {
  constructor(
    readonly reason: EnrolmentRefusal,
    /** The people concerned (for `unknown_people`: ids that are no active user). */
    readonly userIds: readonly string[] = [],
  ) {
    super('refused', 422, reason);
  }
}

export function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

/**
 * Enrols people in a run, by an administrator, in one transaction: capacity is respected and
 * whoever does not fit joins the waiting list in the order given (services/run-places.ts). Refuses,
 * changing nothing, a cancelled run or anyone who is not an active (not deactivated, not
 * anonymised) user.
 */
export async function enrolInRun(db: Db, actor: Actor, runId: string, userIds: readonly string[], now: Date = new Date()): Promise<PlacementOutcome> {
  requireAdmin(actor);
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) throw new EnrolmentRefused('nobody_chosen');
  if (wanted.length > MAX_ENROL_AT_ONCE) throw new EnrolmentRefused('too_many');
  return db.transaction().execute(async (trx) => {
    const run = await lockRunForPlaces(trx, runId);
    if (!run) throw new NotFoundOrNoAccess();
    if (run.cancelled_at) throw new EnrolmentRefused('run_cancelled');
    const active = new Set(await listActiveUsersByIds(trx, wanted));
    const unknown = wanted.filter((id) => !active.has(id));
    if (unknown.length > 0) throw new EnrolmentRefused('unknown_people', unknown);
    return placeInRun(trx, actor, runId, wanted, now);
  });
}

/**
 * Removes an enrolment made by mistake, by an administrator: the enrolment row goes, its history
 * stays (with a row recording the removal), and the first person on the waiting list takes the
 * freed place. An enrolment with attendance or a certificate is not a mistake to erase: that is
 * refused (set a study status instead).
 */
export async function removeEnrolment(db: Db, actor: Actor, runId: string, enrolmentId: string, now: Date = new Date()) {
  requireAdmin(actor);
  return db.transaction().execute(async (trx) => {
    const run = await lockRunForPlaces(trx, runId);
    if (!run) throw new NotFoundOrNoAccess();
    const enrolment = await getEnrolmentInRun(trx, runId, enrolmentId);
    if (!enrolment) throw new NotFoundOrNoAccess();
    const records = await countEnrolmentRecords(trx, enrolmentId);
    if (records.attendance > 0 || records.certificates > 0) throw new EnrolmentRefused('has_records');
    const at = nowIso(now);
    await deleteEnrolment(trx, enrolmentId);
    await appendHistory(trx, [
      enrolmentHistory(actor, at, { ...enrolment, run_id: runId }, { field: 'enrolment', old_value: enrolment.status, new_value: null, note: 'removed' }),
    ]);
    const promoted = await fillFreedPlaces(trx, actor, runId, now);
    return { userId: enrolment.user_id, promoted };
  });
}

/** The enrolment an administrator is about to remove, with the participant's name (for the confirmation screen). */
export async function getEnrolmentForRemoval(db: Db, actor: Actor, runId: string, enrolmentId: string) {
  requireAdmin(actor);
  const enrolment = await getEnrolmentWithName(db, runId, enrolmentId);
  if (!enrolment) throw new NotFoundOrNoAccess();
  return enrolment;
}

/** Takes a person off a run's waiting list, by an administrator (recorded in history). */
export async function removeFromWaitingList(db: Db, actor: Actor, runId: string, userId: string, now: Date = new Date()): Promise<void> {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const run = await lockRunForPlaces(trx, runId);
    if (!run) throw new NotFoundOrNoAccess();
    const waiting = await listWaitingUserIds(trx, runId);
    if (!waiting.includes(userId)) throw new EnrolmentRefused('not_waiting');
    await deleteWaiting(trx, runId, [userId]);
    await appendHistory(trx, [
      {
        id: newId(),
        at: nowIso(now),
        actor_id: actor.id,
        source: actor.source,
        user_id: userId,
        enrolment_id: null,
        run_id: runId,
        meeting_id: null,
        field: 'waiting_list',
        old_value: 'waiting',
        new_value: null,
        note: 'removed',
      },
    ]);
  });
}

/**
 * A run for an administrator: its course and places, one page of its enrolments in name order
 * (keyset cursors `after` / `before` of the shared list pages) and its waiting list in order.
 */
export async function getRunEnrolments(db: Db, actor: Actor, runId: string, options: { after?: string | undefined; before?: string | undefined } = {}) {
  requireAdmin(actor);
  const run = await getRunSummary(db, runId);
  if (!run) throw new NotFoundOrNoAccess();
  const request = { after: decodeCursor(options.after, 2), before: decodeCursor(options.before, 2), limit: RUN_ENROLMENTS_PAGE_SIZE };
  const [rows, waiting] = await Promise.all([listRunEnrolmentsPage(db, runId, request), listRunWaitingList(db, runId)]);
  return { run, page: toKeysetPage(rows, request, (r) => [r.user_name, r.id]), waiting };
}
