import type { StatusCode } from '../db/schema.ts';
import { daysBetween } from './dates.ts';

/** A withdrawal at least this many days before the run starts is valid without proof (R4). */
export const WITHDRAWAL_NOTICE_DAYS = 15;

/** The withdrawn status that matches a withdrawal on `withdrawnOn` from a run starting on `runStartsOn`. */
export function proposeWithdrawnStatus(withdrawnOn: string, runStartsOn: string): StatusCode {
  return daysBetween(withdrawnOn, runStartsOn) >= WITHDRAWAL_NOTICE_DAYS ? 'withdrawn_valid' : 'withdrawn_invalid';
}

/** Whether "met geldige reden" for this withdrawal needs recorded proof of force majeure (R4). */
export function validWithdrawalNeedsProof(withdrawnOn: string, runStartsOn: string): boolean {
  return proposeWithdrawnStatus(withdrawnOn, runStartsOn) === 'withdrawn_invalid';
}
