import type { CourseKind, StatusCode } from '../db/schema.ts';
import { hasFreePlace, type RunPlaces } from './capacity.ts';
import { systemMayChange } from './study-status.ts';

/*
 * The transitions a participant sets off on their own enrolment (SPEC §5, §7): opening a course
 * (knowledge centre or e-learning module), choosing a run, withdrawing, and reporting an absence in
 * advance. Each planner takes the loaded state and the input and answers with what to write or why
 * not; the services load, call them and write in one transaction with history (R9).
 */

/** A status change to write, with the history row's old and new value. */
export interface StatusChange {
  from: StatusCode;
  to: StatusCode;
}

/** What opening a course starts: its knowledge centre or its e-learning module. */
export type CourseOpening = 'knowledge_centre' | 'elearning';

/**
 * Opening a course for the first time moves it to Gestart: a classroom course (or exam) from
 * Ingeschreven when its knowledge centre is opened, an e-learning course from Niet gestart when its
 * module is opened. Any other status is left alone; a final one never changes by itself (R8).
 */
export function planCourseStart(state: { status: StatusCode; courseKind: CourseKind }, opening: CourseOpening): StatusChange | null {
  if (!systemMayChange(state.status)) return null;
  if (opening === 'knowledge_centre' && state.courseKind !== 'elearning' && state.status === 'enrolled') return { from: 'enrolled', to: 'started' };
  if (opening === 'elearning' && state.courseKind === 'elearning' && state.status === 'not_started') return { from: 'not_started', to: 'started' };
  return null;
}

/** Why a run choice, withdrawal or absence report is refused: i18n keys under `participantActions.refusals`. */
export type ParticipantRefusal =
  | 'run_choice_not_required'
  | 'run_not_of_course'
  | 'run_not_open'
  | 'run_full'
  | 'withdraw_no_run'
  | 'withdraw_run_started'
  | 'withdraw_already'
  | 'withdraw_not_open'
  | 'withdraw_proof_required'
  | 'absence_meeting_started'
  | 'absence_not_open'
  | 'absence_already_registered'
  | 'absence_reason_required'
  | 'absence_not_reported';

export type Plan<T> = { ok: true; value: T } | { ok: false; reason: ParticipantRefusal };
const refuse = <T>(reason: ParticipantRefusal): Plan<T> => ({ ok: false, reason });
const accept = <T>(value: T): Plan<T> => ({ ok: true, value });

/** A run is open for choosing or enrolling while it is not cancelled and has not started. */
export function isRunOpen(run: { startsOn: string; cancelled: boolean }, today: string): boolean {
  return !run.cancelled && run.startsOn > today;
}

/**
 * Choosing a run for an enrolment that waits for one (Uitvoeringskeuze vereist): the run must be of
 * the enrolment's course, open, and have a place free after its waiting list (capacity.ts); the
 * enrolment then becomes Ingeschreven.
 */
export function planRunChoice(
  state: {
    status: StatusCode;
    courseId: string;
    run: { courseId: string; startsOn: string; cancelled: boolean };
    places: RunPlaces;
  },
  today: string,
): Plan<StatusChange> {
  if (state.status !== 'run_choice_required') return refuse('run_choice_not_required');
  if (state.run.courseId !== state.courseId) return refuse('run_not_of_course');
  if (!isRunOpen(state.run, today)) return refuse('run_not_open');
  if (!hasFreePlace(state.places)) return refuse('run_full');
  return accept({ from: state.status, to: 'enrolled' });
}

/** One enrolment that enrolling in a programme makes for one of its courses. */
export interface ProgrammeEnrolmentPlan {
  courseId: string;
  runId: string | null;
  status: StatusCode;
}

/**
 * Enrolling in a programme enrols in each of its courses the person is not already following: an
 * e-learning course as Niet gestart, a course with exactly one open run that has a place free (after
 * its waiting list) in that run as Ingeschreven, and any other (several open runs, none yet, or the
 * only one full) as Uitvoeringskeuze vereist until a run is chosen.
 */
export function planProgrammeEnrolment(
  courses: readonly { courseId: string; kind: CourseKind; openRuns: readonly { id: string; places?: RunPlaces }[] }[],
  alreadyFollowing: ReadonlySet<string>,
): ProgrammeEnrolmentPlan[] {
  return courses
    .filter((c) => !alreadyFollowing.has(c.courseId))
    .map((c) => {
      if (c.kind === 'elearning') return { courseId: c.courseId, runId: null, status: 'not_started' };
      const only = c.openRuns.length === 1 ? c.openRuns[0]! : undefined;
      if (only?.places && hasFreePlace(only.places)) return { courseId: c.courseId, runId: only.id, status: 'enrolled' };
      return { courseId: c.courseId, runId: null, status: 'run_choice_required' };
    });
}

/**
 * A participant withdraws themselves before their run starts: the date is recorded (today) and the
 * teacher later sets the withdrawn status that R4 proposes for it. Only an open enrolment can withdraw,
 * once.
 */
export function planSelfWithdrawal(
  state: { status: StatusCode; runStartsOn: string | null; withdrawnOn: string | null },
  today: string,
): Plan<{ withdrawnOn: string }> {
  if (!systemMayChange(state.status)) return refuse('withdraw_not_open');
  if (state.withdrawnOn) return refuse('withdraw_already');
  if (!state.runStartsOn) return refuse('withdraw_no_run');
  if (state.runStartsOn <= today) return refuse('withdraw_run_started');
  return accept({ withdrawnOn: today });
}

/**
 * An administrator withdraws someone on their behalf with proof of force majeure (R4): the enrolment
 * becomes Uitgeschreven met geldige reden, whenever it happens. Only an open enrolment is withdrawn.
 */
export function planWithdrawalOnBehalf(
  state: { status: StatusCode; withdrawnOn: string | null },
  input: { withdrawnOn: string; hasProof: boolean },
): Plan<{ withdrawnOn: string; change: StatusChange }> {
  if (!systemMayChange(state.status)) return refuse('withdraw_not_open');
  if (!input.hasProof) return refuse('withdraw_proof_required');
  return accept({ withdrawnOn: state.withdrawnOn ?? input.withdrawnOn, change: { from: state.status, to: 'withdrawn_valid' } });
}

/** The longest reason a participant can give for an absence or a withdrawal. */
export const MAX_REASON_LENGTH = 500;

/**
 * Reporting an absence in advance ("Afwezigheid melden") for a meeting that has not started, with a
 * reason, on an open enrolment; a meeting whose attendance is already registered cannot be reported.
 * Reporting again replaces the reason.
 */
export function planAbsenceReport(
  state: { status: StatusCode; meetingStartsAt: string; registered: boolean },
  input: { reason: string },
  now: string,
): Plan<{ reason: string }> {
  if (!systemMayChange(state.status)) return refuse('absence_not_open');
  if (state.meetingStartsAt <= now) return refuse('absence_meeting_started');
  if (state.registered) return refuse('absence_already_registered');
  const reason = input.reason.trim();
  if (reason === '') return refuse('absence_reason_required');
  return accept({ reason: reason.slice(0, MAX_REASON_LENGTH) });
}

/** Taking a reported absence back: possible until the meeting starts, and only while nothing else is registered. */
export function planAbsenceTakeBack(state: { meetingStartsAt: string; reported: boolean; registered: boolean }, now: string): Plan<null> {
  if (!state.reported || state.registered) return refuse('absence_not_reported');
  if (state.meetingStartsAt <= now) return refuse('absence_meeting_started');
  return accept(null);
}
