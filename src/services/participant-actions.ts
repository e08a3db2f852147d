import type { Kysely } from 'kysely';
import { nowIso, type Db, type Database } from '../db/index.ts';
import { brusselsDate } from '../domain/dates.ts';
import {
  planAbsenceReport,
  planAbsenceTakeBack,
  planCourseStart,
  planRunChoice,
  planSelfWithdrawal,
  type CourseOpening,
  type ParticipantRefusal,
} from '../domain/participant-lifecycle.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory, enrolmentHistory } from '../repositories/history.ts';
import {
  deleteReportedAbsence,
  getAbsenceNotice,
  getEnrolmentForAction,
  getMeetingAttendance,
  statusColumns,
  updateEnrolment,
  upsertReportedAbsence,
  type EnrolmentForAction,
} from '../repositories/participant-actions.ts';
import { listRunChoices } from '../repositories/programmes.ts';
import type { StatusCode } from '../db/schema.ts';
import { systemMayChange } from '../domain/study-status.ts';
import { openPlaces } from '../domain/capacity.ts';
import { getCourseOpenings } from './course-content.ts';
import { loadRunPlaces } from './run-places.ts';
import type { Actor } from './actor.ts';
import { enqueueMails } from './mail-outbox.ts';

/*
 * What a participant does to their own enrolment: open its course, choose its run, withdraw, report
 * an absence in advance and take it back. Each runs in one transaction: access, load (locking the
 * enrolment), the domain rule, the writes and their history (R9, source of the actor: `participant`).
 */

/** The outcome of a participant's action: done, or refused with a reason shown beside the form. */
export type ActionResult = { ok: true } | { ok: false; reason: ParticipantRefusal };

/** Someone changed the enrolment between its load and its write: the action is not applied. */
export class EnrolmentChanged extends AppError {
  constructor() {
    super('conflict', 409, 'the enrolment changed while it was being updated');
  }
}

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : (db as Kysely<Database>).transaction().execute(work);
}

/** The actor's own enrolment, locked for the rest of the transaction; anyone else's does not exist. */
async function loadOwnEnrolment(trx: Db, actor: Actor, enrolmentId: string): Promise<EnrolmentForAction> {
  const enrolment = await getEnrolmentForAction(trx, enrolmentId);
  if (!enrolment || enrolment.user_id !== actor.id) throw new NotFoundOrNoAccess();
  return enrolment;
}

async function writeOrFail(...args: Parameters<typeof updateEnrolment>): Promise<void> {
  if (!(await updateEnrolment(...args))) throw new EnrolmentChanged();
}

/**
 * The participant opens their course (its knowledge centre or e-learning module): the first opening
 * moves it to Gestart (SPEC §5), later ones change nothing, and a final status never changes (R8).
 * Returns the course, to show or serve what was opened, and whether this opening started it.
 */
export async function openCourse(
  db: Db,
  actor: Actor,
  enrolmentId: string,
  opening: CourseOpening,
  now: Date = new Date(),
): Promise<{ courseId: string; started: boolean }> {
  return inTransaction(db, async (trx) => {
    const enrolment = await loadOwnEnrolment(trx, actor, enrolmentId);
    const change = planCourseStart({ status: enrolment.status, courseKind: enrolment.course_kind }, opening);
    if (!change) return { courseId: enrolment.course_id, started: false };
    const at = nowIso(now);
    await writeOrFail(trx, enrolment, statusColumns(change.to, at), at);
    await appendHistory(trx, [enrolmentHistory(actor, at, enrolment, { field: 'status', old_value: change.from, new_value: change.to, note: opening })]);
    return { courseId: enrolment.course_id, started: true };
  });
}

/**
 * The participant chooses a run for an enrolment that waits for one (Uitvoeringskeuze vereist). The
 * run is locked while its places are counted, so of two choices for its last place exactly one gets
 * it and the other is told the run is full.
 */
export async function chooseRun(db: Db, actor: Actor, enrolmentId: string, runId: string, now: Date = new Date()): Promise<ActionResult> {
  return inTransaction(db, async (trx) => {
    const enrolment = await loadOwnEnrolment(trx, actor, enrolmentId);
    const loaded = await loadRunPlaces(trx, runId);
    if (!loaded) return { ok: false, reason: 'run_not_of_course' };
    const { run, places } = loaded;
    const plan = planRunChoice(
      { status: enrolment.status, courseId: enrolment.course_id, run: { courseId: run.course_id, startsOn: run.starts_on, cancelled: run.cancelled_at !== null }, places },
      brusselsDate(now),
    );
    if (!plan.ok) return plan;
    const at = nowIso(now);
    await writeOrFail(trx, enrolment, { run_id: run.id, ...statusColumns(plan.value.to, at) }, at);
    const chosen = { ...enrolment, run_id: run.id };
    await appendHistory(trx, [
      enrolmentHistory(actor, at, chosen, { field: 'enrolment', old_value: null, new_value: run.id, note: 'run_chosen' }),
      enrolmentHistory(actor, at, chosen, { field: 'status', old_value: plan.value.from, new_value: plan.value.to }),
    ]);
    return { ok: true };
  });
}

/**
 * The participant withdraws before their run starts: the date is recorded (R4) with the optional
 * reason, the status stays for the teacher, whose page proposes the withdrawn status R4 gives.
 */
export async function withdrawSelf(db: Db, actor: Actor, enrolmentId: string, reason: string, now: Date = new Date()): Promise<ActionResult> {
  return inTransaction(db, async (trx) => {
    const enrolment = await loadOwnEnrolment(trx, actor, enrolmentId);
    const plan = planSelfWithdrawal(
      { status: enrolment.status, runStartsOn: enrolment.run_starts_on, withdrawnOn: enrolment.withdrawn_on },
      brusselsDate(now),
    );
    if (!plan.ok) return plan;
    const at = nowIso(now);
    const note = reason.trim() === '' ? null : reason.trim().slice(0, 500);
    await writeOrFail(trx, enrolment, { withdrawn_on: plan.value.withdrawnOn, withdrawal_reason: note }, at);
    await appendHistory(trx, [enrolmentHistory(actor, at, enrolment, { field: 'withdrawal', old_value: null, new_value: plan.value.withdrawnOn, note })]);
    return { ok: true };
  });
}

async function loadMeeting(trx: Db, enrolment: EnrolmentForAction, meetingId: string) {
  const meeting = enrolment.run_id ? await getMeetingAttendance(trx, enrolment.id, enrolment.run_id, meetingId) : undefined;
  if (!meeting) throw new NotFoundOrNoAccess();
  return meeting;
}

/** "Afwezigheid melden": the participant reports that they will miss a meeting that has not started, with a reason. */
export async function reportAbsence(
  db: Db,
  actor: Actor,
  input: { enrolmentId: string; meetingId: string; reason: string },
  now: Date = new Date(),
): Promise<ActionResult> {
  return inTransaction(db, async (trx) => {
    const enrolment = await loadOwnEnrolment(trx, actor, input.enrolmentId);
    const meeting = await loadMeeting(trx, enrolment, input.meetingId);
    const at = nowIso(now);
    const plan = planAbsenceReport({ status: enrolment.status, meetingStartsAt: meeting.starts_at, registered: meeting.present !== null }, input, at);
    if (!plan.ok) return plan;
    await upsertReportedAbsence(trx, { enrolmentId: enrolment.id, meetingId: meeting.id, reason: plan.value.reason, at, by: actor.id });
    await writeOrFail(trx, enrolment, {}, at);
    const before = meeting.reported_absent_at ? 'reported_absent' : null;
    const change = { meeting_id: meeting.id, field: 'attendance', old_value: before, new_value: 'reported_absent', note: plan.value.reason } as const;
    await appendHistory(trx, [enrolmentHistory(actor, at, enrolment, change)]);
    // The run's teachers hear of a new report by e-mail (outbox); a changed reason is not mailed again.
    if (!before && enrolment.run_id) {
      const notice = await getAbsenceNotice(trx, enrolment.run_id, enrolment.user_id);
      await enqueueMails(
        trx,
        notice.flatMap((n) =>
          n.teacher_id
            ? [{ userId: n.teacher_id, payload: { kind: 'absence_reported' as const, participantName: n.participant_name, courseTitle: n.course_title, runId: n.id, runCode: n.code, meetingStartsAt: meeting.starts_at, reason: plan.value.reason } }]
            : [],
        ),
        at,
      );
    }
    return { ok: true };
  });
}

/** The participant takes back an absence they reported, until the meeting starts. */
export async function takeBackAbsence(
  db: Db,
  actor: Actor,
  input: { enrolmentId: string; meetingId: string },
  now: Date = new Date(),
): Promise<ActionResult> {
  return inTransaction(db, async (trx) => {
    const enrolment = await loadOwnEnrolment(trx, actor, input.enrolmentId);
    const meeting = await loadMeeting(trx, enrolment, input.meetingId);
    const at = nowIso(now);
    const plan = planAbsenceTakeBack({ meetingStartsAt: meeting.starts_at, reported: meeting.reported_absent_at !== null, registered: meeting.present !== null }, at);
    if (!plan.ok) return plan;
    if (!(await deleteReportedAbsence(trx, enrolment.id, meeting.id))) throw new EnrolmentChanged();
    await writeOrFail(trx, enrolment, {}, at);
    await appendHistory(trx, [enrolmentHistory(actor, at, enrolment, { meeting_id: meeting.id, field: 'attendance', old_value: 'reported_absent', new_value: null })]);
    return { ok: true };
  });
}

/** What the participant can do on their enrolment page now, beside what it shows. */
export interface EnrolmentActions {
  openings: { knowledgeCentre: boolean; elearning: boolean };
  /** The open runs of the course, when a run must still be chosen; each with its free places (null: no limit). */
  runChoices: { id: string; code: string; startsOn: string; endsOn: string; place: string; freePlaces: number | null }[] | null;
  /** The run's start date, while the participant may still withdraw; null otherwise. */
  withdrawUntil: string | null;
  /** Whether absences can be reported for meetings that have not started. */
  mayReportAbsences: boolean;
}

/** The actions of one of the actor's own enrolments (it is loaded, and checked as theirs, by `getMyEnrolment`). */
export async function getEnrolmentActions(
  db: Db,
  enrolment: { course_id: string; status: StatusCode; run_id: string | null; run_starts_on: string | null; withdrawn_on: string | null },
  now: Date = new Date(),
): Promise<EnrolmentActions> {
  const today = brusselsDate(now);
  const [openings, runs] = await Promise.all([
    getCourseOpenings(db, enrolment.course_id),
    enrolment.status === 'run_choice_required' ? listRunChoices(db, enrolment.course_id, today) : Promise.resolve(null),
  ]);
  const withdrawal = planSelfWithdrawal({ status: enrolment.status, runStartsOn: enrolment.run_starts_on, withdrawnOn: enrolment.withdrawn_on }, today);
  return {
    openings,
    runChoices:
      runs
        ?.map((r) => ({ ...r, open: openPlaces(r.capacity, r.taken, r.waiting) }))
        .filter((r) => r.open > 0)
        .map((r) => ({ id: r.id, code: r.code, startsOn: r.starts_on, endsOn: r.ends_on, place: r.place, freePlaces: r.capacity === null ? null : r.open })) ?? null,
    withdrawUntil: withdrawal.ok ? enrolment.run_starts_on : null,
    mayReportAbsences: systemMayChange(enrolment.status) && enrolment.run_id !== null,
  };
}
