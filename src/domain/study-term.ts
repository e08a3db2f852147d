import { ALL_STATUSES, systemMayChange, type StatusCode } from './study-status.ts';

/**
 * The study-term rule (section 5, R8): an enrolment whose study term has passed before it reached a
 * final status becomes Studietermijn verstreken. Only statuses the system may still change qualify;
 * a final status set by a person is never touched.
 */
export const SWEEPABLE_STATUSES: readonly StatusCode[] = ALL_STATUSES.filter(systemMayChange);

/**
 * The last day of an enrolment's study term: the date fixed at enrolment (`term_ends_on`) or, when
 * none was fixed, the enrolment's date plus the programme's study term (when it came through a
 * programme) or else the course's. Null: no term.
 */
export function termEndsOn(e: { termEndsOn: string | null; enrolledOn: string; programmeTermDays: number | null; courseTermDays: number | null }): string | null {
  if (e.termEndsOn) return e.termEndsOn;
  const days = e.programmeTermDays ?? e.courseTermDays;
  if (days === null) return null;
  return new Date(Date.parse(`${e.enrolledOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whether the term ending on `lastDay` has passed on `today` (both `YYYY-MM-DD`): the last day itself still counts. */
export function termHasPassed(lastDay: string | null, today: string): boolean {
  return lastDay !== null && lastDay < today;
}

/** Whether the sweep moves an enrolment in `status` whose term ends on `lastDay`, on `today`. */
export function expiresToday(status: StatusCode, lastDay: string | null, today: string): boolean {
  return SWEEPABLE_STATUSES.includes(status) && termHasPassed(lastDay, today);
}
