import type { Role, StatusCode } from '../../db/schema.ts';
import { ADMIN_ONLY_STATUSES, ALL_STATUSES, INACTIVE_STATUSES, TEACHER_STATUSES, canChangeStatus, canSetStatus } from '../study-status.ts';
import type { RowErrorKey, StatusChange } from './model.ts';
import { WITHDRAWN_STATUSES } from './withdrawal-rule.ts';

/*
 * Who may set which status (R1, R8), including corrections of a status that is no longer active:
 * a teacher corrects a withdrawal they set themselves while the run is not finished; an
 * administrator changes any status to any other they may set, giving a reason.
 */

export interface CorrectionContext {
  actorId: string;
  roles: readonly Role[];
  lastChange: StatusChange | undefined;
  /** The run's last day has passed. */
  runFinished: boolean;
}

/** Whether an enrolment's status is one that no longer takes part, so a change of it is a correction. */
export function isCorrection(status: StatusCode): boolean {
  return INACTIVE_STATUSES.has(status);
}

/**
 * The statuses a correction of `status` may choose, first the one it replaced (undoing a mis-click);
 * empty when the actor may not correct it.
 */
export function correctionTargets(status: StatusCode, ctx: CorrectionContext): StatusCode[] {
  if (!isCorrection(status)) return [];
  const previous = ctx.lastChange?.from ? [ctx.lastChange.from] : [];
  let allowed: readonly StatusCode[] = [];
  if (ctx.roles.includes('admin')) {
    allowed = ALL_STATUSES.filter((s) => canSetStatus(ctx.roles, s));
  } else if (ctx.roles.includes('teacher') && WITHDRAWN_STATUSES.has(status) && ctx.lastChange?.actorId === ctx.actorId && !ctx.runFinished) {
    allowed = TEACHER_STATUSES;
  } else {
    return [];
  }
  return [...new Set([...previous, ...allowed])].filter((s) => s !== status);
}

/** Whether this correction needs a reason in the history: every administrator's correction does. */
export function correctionNeedsReason(status: StatusCode, roles: readonly Role[]): boolean {
  return isCorrection(status) && roles.includes('admin');
}

/** Why moving from `from` to `to` is refused, or null when it is allowed. */
export function statusRefusal(from: StatusCode, to: StatusCode, ctx: CorrectionContext & { reason: string }): RowErrorKey | null {
  if (isCorrection(from)) {
    if (!correctionTargets(from, ctx).includes(to)) {
      return ctx.roles.includes('admin') || ctx.roles.includes('teacher') ? 'correction_not_allowed' : 'status_not_allowed';
    }
    if (correctionNeedsReason(from, ctx.roles) && ctx.reason.trim() === '') return 'reason_required';
    return null;
  }
  if (!canSetStatus(ctx.roles, to)) return ADMIN_ONLY_STATUSES.has(to) ? 'admin_only_status' : 'status_not_allowed';
  if (!canChangeStatus(ctx.roles, from, to)) return 'final_status';
  return null;
}
