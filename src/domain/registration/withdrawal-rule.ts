import type { StatusCode } from '../../db/schema.ts';
import { brusselsDate } from '../dates.ts';
import { validWithdrawalNeedsProof } from '../withdrawal.ts';
import type { PlanEnrolment, RowErrorKey, RowInput } from './model.ts';

/*
 * Withdrawal (R4): the date the participant withdrew, as the teacher enters it (default: the date
 * already known, else today), and the proof of force majeure a late valid withdrawal needs.
 */

export const WITHDRAWN_STATUSES: ReadonlySet<StatusCode> = new Set(['withdrawn_valid', 'withdrawn_invalid']);

/** The withdrawal date the save records for a withdrawn status. */
export function withdrawalDate(row: Pick<RowInput, 'withdrawnOn'>, e: Pick<PlanEnrolment, 'withdrawn_on'>, today: string): string {
  return row.withdrawnOn || e.withdrawn_on || today;
}

/** Why an entered withdrawal date is refused: not in the future, not before the enrolment. */
export function withdrawalDateRefusal(withdrawnOn: string | null | undefined, enrolledAt: string, today: string): RowErrorKey | null {
  if (!withdrawnOn) return null;
  if (withdrawnOn > today) return 'withdrawal_date_future';
  if (withdrawnOn < brusselsDate(enrolledAt)) return 'withdrawal_date_before_enrolment';
  return null;
}

/** Whether proof of force majeure is recorded, or comes with this save (a note or a stored file's key). */
export function hasProof(row: Pick<RowInput, 'proofNote' | 'proofFile'>, e: Pick<PlanEnrolment, 'force_majeure_note' | 'force_majeure_file'>): boolean {
  return !!(row.proofNote.trim() || row.proofFile || e.force_majeure_note || e.force_majeure_file);
}

/** R4: "met geldige reden" less than 15 days before the start without proof is refused. */
export function proofMissing(target: StatusCode, withdrawnOn: string, runStartsOn: string, proofRecorded: boolean): boolean {
  return target === 'withdrawn_valid' && validWithdrawalNeedsProof(withdrawnOn, runStartsOn) && !proofRecorded;
}
