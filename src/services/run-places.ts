import type { Insertable } from 'kysely';
import { newId, nowIso, type Db } from '../db/index.ts';
import type { EnrolmentsTable, StatusCode } from '../db/schema.ts';
import { hasFreePlace, planPlacement, type Placement, type RunPlaces } from '../domain/capacity.ts';
import { addDays, brusselsDate } from '../domain/dates.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory, type HistoryEntry } from '../repositories/history.ts';
import {
  countTakenPlaces,
  deleteWaiting,
  insertWaiting,
  listTakingPart,
  listWaitingUserIds,
  lockRunForPlaces,
} from '../repositories/run-places.ts';
import { insertEnrolments } from '../repositories/enrolments.ts';
import type { Actor } from './actor.ts';

/*
 * The places of a run, for every service that changes who takes part in one (administrators'
 * enrolments, the CSV import, a participant's run choice). Each function runs inside the caller's
 * transaction and starts by locking the run, so capacity holds under concurrent requests: two
 * people taking the last place at once never both get it.
 */

export type LockedRun = NonNullable<Awaited<ReturnType<typeof lockRunForPlaces>>>;

/** Locks the run and loads its places; undefined when there is no such run. Call inside a transaction. */
export async function loadRunPlaces(trx: Db, runId: string): Promise<{ run: LockedRun; places: RunPlaces } | undefined> {
  const run = await lockRunForPlaces(trx, runId);
  if (!run) return undefined;
  const [taken, waiting] = await Promise.all([countTakenPlaces(trx, runId), listWaitingUserIds(trx, runId)]);
  return { run, places: { capacity: run.capacity, taken, waiting } };
}

/** The status a new enrolment in a run of this kind of course starts in (SPEC §5). */
export function initialStatus(kind: LockedRun['course_kind']): StatusCode {
  return kind === 'elearning' ? 'not_started' : 'enrolled';
}

/** A new enrolment row of `userId` in the locked run. */
export function newRunEnrolment(run: LockedRun, userId: string, at: string): Insertable<EnrolmentsTable> {
  return {
    id: newId(),
    user_id: userId,
    course_id: run.course_id,
    run_id: run.id,
    programme_id: null,
    status: initialStatus(run.course_kind),
    status_changed_at: at,
    enrolled_at: at,
    term_ends_on: studyTermEnd(run, at),
    withdrawn_on: null,
    force_majeure_note: null,
    force_majeure_file: null,
    effort: null,
    effort_comment: null,
    version: 1,
    updated_at: at,
  };
}

/** The end of an enrolment's study term: the course's fixed end date, or its number of days from the enrolment. */
export function studyTermEnd(run: Pick<LockedRun, 'study_term_days' | 'study_term_ends_on'>, at: string): string | null {
  if (run.study_term_ends_on) return run.study_term_ends_on;
  return run.study_term_days === null ? null : addDays(brusselsDate(at), run.study_term_days);
}

export interface PlacementOutcome {
  runId: string;
  /** Each requested person and what happened to them, in the order asked. */
  placements: { userId: string; placement: Placement; enrolmentId?: string }[];
  /** People who moved up from the waiting list into a freed place, first in line first. */
  promoted: { userId: string; enrolmentId: string }[];
}

/**
 * Places people in a run inside the caller's transaction: the waiting list moves up into any free
 * place first, then each person is enrolled while places remain and otherwise joins the waiting list
 * (domain/capacity.ts). Writes the enrolments, the waiting-list changes and a history row for each,
 * with `actor` as actor and source. The caller has checked access and that each user may be placed.
 */
export async function placeInRun(trx: Db, actor: Actor, runId: string, userIds: readonly string[], now: Date = new Date()): Promise<PlacementOutcome> {
  const loaded = await loadRunPlaces(trx, runId);
  if (!loaded) throw new NotFoundOrNoAccess();
  const { run, places } = loaded;
  const takingPart = await listTakingPart(trx, runId, userIds);
  const plan = planPlacement(places, userIds, takingPart);
  const at = nowIso(now);

  const enrolments: Insertable<EnrolmentsTable>[] = [];
  const history: HistoryEntry[] = [];
  const enrolmentOf = new Map<string, string>();
  const enrol = (userId: string, fromWaitingList: boolean) => {
    const row = newRunEnrolment(run, userId, at);
    enrolments.push(row);
    enrolmentOf.set(userId, row.id);
    history.push(entry(actor, at, { user_id: userId, enrolment_id: row.id, run_id: run.id, field: 'enrolment', old_value: null, new_value: row.status, note: fromWaitingList ? 'from_waiting_list' : null }));
    if (fromWaitingList) history.push(entry(actor, at, { user_id: userId, enrolment_id: row.id, run_id: run.id, field: 'waiting_list', old_value: 'waiting', new_value: null, note: 'from_waiting_list' }));
  };
  for (const userId of plan.promote) enrol(userId, true);
  const waiting: string[] = [];
  for (const p of plan.placements) {
    if (p.placement === 'enrolled') enrol(p.userId, false);
    else if (p.placement === 'waiting') {
      waiting.push(p.userId);
      history.push(entry(actor, at, { user_id: p.userId, enrolment_id: null, run_id: run.id, field: 'waiting_list', old_value: null, new_value: 'waiting', note: null }));
    }
  }

  await deleteWaiting(trx, run.id, plan.promote);
  await insertEnrolments(trx, enrolments);
  // ULIDs made in one process are monotonic: the list keeps the order asked.
  await insertWaiting(trx, waiting.map((userId) => ({ id: newId(), run_id: run.id, user_id: userId, added_at: at, added_by: actor.id })));
  await appendHistory(trx, history);

  return {
    runId: run.id,
    placements: plan.placements.map((p) => ({ ...p, ...(enrolmentOf.has(p.userId) ? { enrolmentId: enrolmentOf.get(p.userId)! } : {}) })),
    promoted: plan.promote.map((userId) => ({ userId, enrolmentId: enrolmentOf.get(userId)! })),
  };
}

/** Moves people up from the run's waiting list into any free places (after a place freed), inside the caller's transaction. */
export async function fillFreedPlaces(trx: Db, actor: Actor, runId: string, now: Date = new Date()): Promise<PlacementOutcome['promoted']> {
  return (await placeInRun(trx, actor, runId, [], now)).promoted;
}

function entry(actor: Actor, at: string, row: Omit<HistoryEntry, 'id' | 'at' | 'actor_id' | 'source' | 'meeting_id'>): HistoryEntry {
  return { id: newId(), at, actor_id: actor.id, source: actor.source, meeting_id: null, ...row };
}
