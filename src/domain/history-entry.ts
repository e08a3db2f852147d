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

/** One meeting's old and new value in a history row that records a change at several meetings. */
export interface MeetingChange {
  meetingId: string;
  /** The meeting's start, so that the row reads on its own (a meeting may later be moved or removed). */
  startsAt: string;
  oldValue: string | null;
  newValue: string | null;
}

type StoredMeetingChange = [meetingId: string, startsAt: string, oldValue: string | null, newValue: string | null];

/**
 * What a save changed of one enrolment's attendance, or of its points, at its meetings (R9): one
 * meeting is a row of that meeting (`meeting_id` set, plain old and new value); several are one row
 * with `meeting_id` and `old_value` null whose `new_value` is a JSON array of `[meeting id, meeting
 * start, old value, new value]` in meeting order. A 500 × 20 save thus records 1,000 rows instead of
 * 20,000: the rows, not the code around them, were most of its time (docs/performance.md, C). Each
 * meeting is named once, not in an old and a new list: the save's 1,078 rows then took PostgreSQL
 * 77 instead of 108 ms to write (large data, rolled back, alternating).
 */
export function meetingsChange(
  field: 'attendance' | 'points',
  changes: readonly MeetingChange[],
  note: string | null = null,
): Required<HistoryChange> & { field: 'attendance' | 'points' } {
  if (changes.length === 1) {
    const [only] = changes as [MeetingChange];
    return { field, meeting_id: only.meetingId, old_value: only.oldValue, new_value: only.newValue, note };
  }
  const stored = changes.map((c): StoredMeetingChange => [c.meetingId, c.startsAt, c.oldValue, c.newValue]);
  return { field, meeting_id: null, old_value: null, new_value: JSON.stringify(stored), note };
}

const text = (v: unknown) => v === null || typeof v === 'string';

const isStoredMeetingChange = (v: unknown): v is StoredMeetingChange =>
  Array.isArray(v) && v.length === 4 && typeof v[0] === 'string' && typeof v[1] === 'string' && text(v[2]) && text(v[3]);

/**
 * The meetings of a history row written by `meetingsChange` for several meetings, each with its old
 * and new value; null for any other row (a row of one meeting, or of another field).
 */
export function readMeetingsChange(row: Pick<HistoryEntry, 'field' | 'meeting_id' | 'old_value' | 'new_value'>): MeetingChange[] | null {
  if ((row.field !== 'attendance' && row.field !== 'points') || row.meeting_id || row.old_value != null) return null;
  if (!row.new_value?.startsWith('[')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.new_value);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every(isStoredMeetingChange)) return null;
  return parsed.map(([meetingId, startsAt, oldValue, newValue]) => ({ meetingId, startsAt, oldValue, newValue }));
}
