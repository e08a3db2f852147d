import type { Role, StatusCode } from '../db/schema.ts';

export type { StatusCode };

export const ALL_STATUSES: readonly StatusCode[] = [
  'enrolled',
  'not_started',
  'started',
  'run_choice_required',
  'completed',
  'failed',
  'absent',
  'withdrawn_invalid',
  'withdrawn_valid',
  'cancelled',
  'term_expired',
  'archived',
  'exempted',
];

/** Statuses the system may still move on by itself (R8). Every other status is final. */
export const OPEN_STATUSES: ReadonlySet<StatusCode> = new Set(['enrolled', 'not_started', 'started', 'run_choice_required']);

/** Exactly the five statuses of the teacher's dropdown, in the guide's order. */
export const TEACHER_STATUSES: readonly StatusCode[] = ['completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid'];

/** Statuses only head-office administrators set. */
export const ADMIN_ONLY_STATUSES: ReadonlySet<StatusCode> = new Set(['archived', 'exempted']);

/** Statuses only the system sets. */
export const SYSTEM_STATUSES: ReadonlySet<StatusCode> = new Set([
  'enrolled',
  'not_started',
  'started',
  'run_choice_required',
  'cancelled',
  'term_expired',
]);

/** Enrolments that no longer take part: shown apart on the participants page, never counted absent. */
export const INACTIVE_STATUSES: ReadonlySet<StatusCode> = new Set([
  'withdrawn_invalid',
  'withdrawn_valid',
  'cancelled',
  'archived',
  'exempted',
]);

export function isOpen(status: StatusCode): boolean {
  return OPEN_STATUSES.has(status);
}

export function isStatusCode(value: string): value is StatusCode {
  return (ALL_STATUSES as readonly string[]).includes(value);
}

/** Whether a person holding `roles` may set `status` at all (R1). */
export function canSetStatus(roles: readonly Role[], status: StatusCode): boolean {
  if (roles.includes('admin')) return !SYSTEM_STATUSES.has(status);
  if (roles.includes('teacher')) return TEACHER_STATUSES.includes(status);
  return false;
}

/**
 * Whether a person holding `roles` may move an enrolment from `from` to `to` (R1, R8): a final status
 * set by someone else is changed only by a person allowed to set it.
 */
export function canChangeStatus(roles: readonly Role[], from: StatusCode, to: StatusCode): boolean {
  if (!canSetStatus(roles, to)) return false;
  if (roles.includes('admin')) return true;
  return isOpen(from) || TEACHER_STATUSES.includes(from);
}

/** Whether an automatic transition may touch an enrolment in `status` (R8). */
export function systemMayChange(status: StatusCode): boolean {
  return isOpen(status);
}
