import { isOverwrite, type AttendanceRecord } from '../attendance.ts';
import type { PlanAttendance, PlanMeeting, RegistrationInput } from './model.ts';

/*
 * Attendance (R2, R7): which meetings a save applies to, and which of them may not take a presence.
 */

/** Whether a meeting has started at `now` (ISO instants compare as text). */
export function hasStarted(meeting: Pick<PlanMeeting, 'starts_at'>, now: string): boolean {
  return meeting.starts_at <= now;
}

/**
 * The meetings a save applies attendance to: the ones chosen, and with "alle bijeenkomsten" every
 * meeting that has started (R2: never one still to come). Also says whether a chosen id is unknown.
 */
export function chooseMeetings(
  meetings: readonly PlanMeeting[],
  input: Pick<RegistrationInput, 'meetingIds' | 'allMeetings'>,
  now: string,
): { chosen: PlanMeeting[]; unknownMeeting: boolean } {
  const ids = new Set(input.meetingIds);
  const known = new Set(meetings.map((m) => m.id));
  return {
    chosen: meetings.filter((m) => ids.has(m.id) || (input.allMeetings && hasStarted(m, now))),
    unknownMeeting: input.meetingIds.some((id) => !known.has(id)),
  };
}

/** Whether the run's last meeting has yet to begin: Voltooid then needs a confirmation (R2). */
export function lastMeetingToCome(meetings: readonly PlanMeeting[], now: string): boolean {
  const last = meetings.reduce<PlanMeeting | undefined>((max, m) => (max && max.starts_at >= m.starts_at ? max : m), undefined);
  return last !== undefined && !hasStarted(last, now);
}

/** The chosen meetings that have not started, where this save would record someone present (R2). */
export function presenceBeforeStart(chosen: readonly PlanMeeting[], writesPresence: (meetingId: string) => boolean, now: string): PlanMeeting[] {
  return chosen.filter((m) => !hasStarted(m, now) && writesPresence(m.id));
}

export function recordOf(a: PlanAttendance | undefined): AttendanceRecord | undefined {
  return a && { present: a.present === null ? null : a.present === 1, reportedAbsent: !!a.reported_absent_at };
}

/** R7: whether writing `present` over what is stored overwrites something a person recorded. */
export function overwrites(stored: PlanAttendance | undefined, present: boolean): boolean {
  return isOverwrite(recordOf(stored), present);
}
