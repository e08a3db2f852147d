import type { StatusCode } from './study-status.ts';
import { systemMayChange } from './study-status.ts';

/**
 * The administrator's lifecycle actions as pure planners (SPEC §5, R1, R8): cancelling a run or a
 * course, archiving a course, publishing its next version and exempting a participant. Each takes
 * the loaded state and the administrator's input and returns the status changes to write, or why
 * nothing may be written.
 */

/** A reason may be this long at most (it is shown to participants and teachers). */
export const MAX_REASON_LENGTH = 1000;

/** i18n keys under `lifecycle.refusals`. */
export type LifecycleRefusal =
  | 'reason_required'
  | 'reason_too_long'
  | 'already_cancelled'
  | 'already_archived'
  | 'newer_version_exists'
  | 'already_exempted'
  | 'final_status';

export interface EnrolmentState {
  id: string;
  user_id: string;
  run_id: string | null;
  status: StatusCode;
  version: number;
}

export interface StatusChange {
  enrolment: EnrolmentState;
  from: StatusCode;
  to: StatusCode;
}

export type Plan<T> = { ok: true; value: T } | { ok: false; refusals: LifecycleRefusal[] };

/** A reason as stored: trimmed; refused when empty or too long. */
export function checkReason(reason: string): { reason: string } | { refusal: LifecycleRefusal } {
  const trimmed = reason.trim();
  if (!trimmed) return { refusal: 'reason_required' };
  if (trimmed.length > MAX_REASON_LENGTH) return { refusal: 'reason_too_long' };
  return { reason: trimmed };
}

/** Every enrolment still in an open status moves to `to`; final statuses stay (R8). */
export function openEnrolmentsTo(enrolments: readonly EnrolmentState[], to: StatusCode): StatusChange[] {
  return enrolments.filter((e) => systemMayChange(e.status)).map((e) => ({ enrolment: e, from: e.status, to }));
}

/**
 * Cancelling a run or a course (Geannuleerd): refused without a reason or when it is cancelled
 * already; otherwise every enrolment in an open status becomes cancelled.
 */
export function planCancellation(input: { reason: string; cancelledAt: string | null; enrolments: readonly EnrolmentState[] }): Plan<{ reason: string; changes: StatusChange[] }> {
  const refusals: LifecycleRefusal[] = [];
  const checked = checkReason(input.reason);
  if ('refusal' in checked) refusals.push(checked.refusal);
  if (input.cancelledAt) refusals.push('already_cancelled');
  if (refusals.length > 0 || 'refusal' in checked) return { ok: false, refusals };
  return { ok: true, value: { reason: checked.reason, changes: openEnrolmentsTo(input.enrolments, 'cancelled') } };
}

/** Archiving a course version (Gearchiveerd): its enrolments in an open status become archived. */
export function planArchive(input: { archivedAt: string | null; enrolments: readonly EnrolmentState[] }): Plan<StatusChange[]> {
  if (input.archivedAt) return { ok: false, refusals: ['already_archived'] };
  return { ok: true, value: openEnrolmentsTo(input.enrolments, 'archived') };
}

export interface CourseSettings {
  id: string;
  code: string;
  title: string;
  kind: 'classroom' | 'elearning' | 'exam';
  max_study_points: number;
  study_term_days: number | null;
  version: number;
  knowledge_centre_url: string | null;
  elearning_url: string | null;
}

/**
 * The next version of a course: a copy of its settings under the same code, one version higher,
 * replacing it. Only the latest version of a code has a next one.
 */
export function planNextVersion(course: CourseSettings, latestVersion: number): Plan<Omit<CourseSettings, 'id'> & { replaces_course_id: string }> {
  if (latestVersion > course.version) return { ok: false, refusals: ['newer_version_exists'] };
  return {
    ok: true,
    value: {
      code: course.code,
      title: course.title,
      kind: course.kind,
      max_study_points: course.max_study_points,
      study_term_days: course.study_term_days,
      version: course.version + 1,
      knowledge_centre_url: course.knowledge_centre_url,
      elearning_url: course.elearning_url,
      replaces_course_id: course.id,
    },
  };
}

/** Why one enrolment cannot be exempted, if it cannot: already exempted, or another final status. */
export function exemptionRefusal(status: StatusCode): LifecycleRefusal | null {
  if (status === 'exempted') return 'already_exempted';
  if (!systemMayChange(status)) return 'final_status';
  return null;
}

/** Exempting one participant (Vrijgesteld) on an exemption file: a reason and, optionally, evidence. */
export function planExemption(input: { enrolment: EnrolmentState; reason: string }): Plan<{ reason: string; change: StatusChange }> {
  const refusals: LifecycleRefusal[] = [];
  const checked = checkReason(input.reason);
  if ('refusal' in checked) refusals.push(checked.refusal);
  const refusal = exemptionRefusal(input.enrolment.status);
  if (refusal) refusals.push(refusal);
  if (refusals.length > 0 || 'refusal' in checked) return { ok: false, refusals };
  return { ok: true, value: { reason: checked.reason, change: { enrolment: input.enrolment, from: input.enrolment.status, to: 'exempted' } } };
}

/** One line of an exemption list as read: its number in the file and the key it names. */
export interface ExemptionListLine {
  line: number;
  key: string;
}

/** i18n keys under `lifecycle.lineOutcomes`. */
export type LineOutcome =
  | { line: number; key: string; outcome: 'applied'; enrolments: EnrolmentState[]; name: string }
  | { line: number; key: string; outcome: 'skipped'; reason: 'already_exempted' | 'duplicate' | 'empty'; name?: string }
  | { line: number; key: string; outcome: 'refused'; reason: 'unknown_person' | 'not_enrolled' | 'final_status' | 'ambiguous'; name?: string };

/**
 * What an exemption list does, line by line: a line naming (by e-mail address or personnel number)
 * a person with an enrolment in the course in an open status is applied (every such enrolment of
 * theirs in the course becomes exempted); a person already
 * exempted, a repeated person or an empty line is skipped; an unknown person, a person not enrolled
 * in the course, a final status or a key matching two people is refused with that reason.
 */
export function planExemptionList(
  lines: readonly ExemptionListLine[],
  people: ReadonlyMap<string, { id: string; name: string }[]>,
  enrolmentsByUser: ReadonlyMap<string, EnrolmentState[]>,
): LineOutcome[] {
  const seen = new Set<string>();
  return lines.map((l): LineOutcome => {
    const key = l.key.trim();
    if (!key) return { line: l.line, key, outcome: 'skipped', reason: 'empty' };
    const matches = people.get(normaliseKey(key)) ?? [];
    if (matches.length === 0) return { line: l.line, key, outcome: 'refused', reason: 'unknown_person' };
    if (matches.length > 1) return { line: l.line, key, outcome: 'refused', reason: 'ambiguous' };
    const person = matches[0]!;
    if (seen.has(person.id)) return { line: l.line, key, outcome: 'skipped', reason: 'duplicate', name: person.name };
    seen.add(person.id);
    const enrolments = enrolmentsByUser.get(person.id) ?? [];
    if (enrolments.length === 0) return { line: l.line, key, outcome: 'refused', reason: 'not_enrolled', name: person.name };
    const open = enrolments.filter((e) => systemMayChange(e.status));
    if (open.length === 0) {
      return enrolments.some((e) => e.status === 'exempted')
        ? { line: l.line, key, outcome: 'skipped', reason: 'already_exempted', name: person.name }
        : { line: l.line, key, outcome: 'refused', reason: 'final_status', name: person.name };
    }
    return { line: l.line, key, outcome: 'applied', enrolments: open, name: person.name };
  });
}

/** E-mail addresses match whatever their case; personnel numbers as written, without surrounding spaces. */
export function normaliseKey(key: string): string {
  const trimmed = key.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed;
}
