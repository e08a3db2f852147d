import type { Insertable } from 'kysely';
import type { HistorySource, HistoryTable } from '../db/schema.ts';

/** A history row (R9) as it is written. */
export type HistoryEntry = Insertable<HistoryTable>;

/** The part of a history row that says what changed. */
export type HistoryChange = Pick<HistoryEntry, 'field' | 'old_value' | 'new_value'> & Partial<Pick<HistoryEntry, 'note' | 'meeting_id'>>;

/**
 * The history row of a change that `actor` made at `at` to an enrolment, under the id `id`: the
 * one shape of such a row, for the services (which make the id) and the pure plans (which are given it).
 */
export function enrolmentHistoryEntry(
  actor: { id: string; source: HistorySource },
  at: string,
  enrolment: { id: string; user_id: string; run_id: string | null },
  change: HistoryChange,
  id: string,
): HistoryEntry {
  return {
    id,
    at,
    actor_id: actor.id,
    source: actor.source,
    user_id: enrolment.user_id,
    enrolment_id: enrolment.id,
    run_id: enrolment.run_id,
    meeting_id: change.meeting_id ?? null,
    field: change.field,
    old_value: change.old_value,
    new_value: change.new_value,
    note: change.note ?? null,
  };
}
