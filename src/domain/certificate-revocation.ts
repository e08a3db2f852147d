import type { HistorySource } from '../db/schema.ts';
import { enrolmentHistoryEntry, type HistoryEntry } from './history-entry.ts';

/*
 * Revoking certificates (R3): a revoked certificate stays on record with its date, no longer vouches
 * for anyone, and its holder is told. One rule for every way a certificate is revoked: leaving
 * Voltooid in a save, and an administrator's revocation of many at once.
 */

/** The longest reason an administrator can give for revoking certificates. */
export const REVOCATION_REASON_MAX = 500;

/** The history row (R9) of one revoked certificate: its number goes, nothing takes its place. */
export function certificateRevocationEntry(
  actor: { id: string; source: HistorySource },
  at: string,
  enrolment: { id: string; user_id: string; run_id: string | null },
  number: string,
  note: string,
  id: string,
): HistoryEntry {
  return enrolmentHistoryEntry(actor, at, enrolment, { field: 'certificate', old_value: number, new_value: null, note }, id);
}

/** Why a bulk revocation was refused (i18n keys under `bulkRevocation.refusals`). */
export type BulkRevocationRefusal = 'reason_required' | 'reason_too_long' | 'nothing_selected';

export type BulkRevocationPlan<C> = { ok: true; reason: string; certificates: C[] } | { ok: false; refusals: BulkRevocationRefusal[] };

/**
 * An administrator's revocation of many certificates: a reason is required (it is recorded in each
 * history row and told to each holder), and at least one still valid certificate must be selected
 * (`found`: the selected certificates that are still valid; one revoked meanwhile is left out).
 */
export function planBulkRevocation<C extends { revoked_at: string | null }>(input: { reason: string }, found: readonly C[]): BulkRevocationPlan<C> {
  const reason = input.reason.trim();
  const refusals: BulkRevocationRefusal[] = [];
  if (reason === '') refusals.push('reason_required');
  else if (reason.length > REVOCATION_REASON_MAX) refusals.push('reason_too_long');
  const valid = found.filter((c) => c.revoked_at === null);
  if (valid.length === 0) refusals.push('nothing_selected');
  return refusals.length > 0 ? { ok: false, refusals } : { ok: true, reason, certificates: valid };
}
