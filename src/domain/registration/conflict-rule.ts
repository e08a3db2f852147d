import type { StatusCode } from '../../db/schema.ts';
import { isAttendanceChange } from '../attendance.ts';
import { recordOf } from './attendance-rule.ts';
import { enteredEffort, type Effort } from './effort-rule.ts';
import type { PlanAttendance, PlanEnrolment, PlanMeeting, RowInput, SeenValues, ValueConflict } from './model.ts';
import { attendanceStateOf, cellFingerprint, effortFingerprint } from './seen.ts';

/*
 * R11, value by value: a save changes a value when what the teacher entered differs from what the
 * page showed. It conflicts only where someone else changed that same value since (what is stored
 * differs from what was shown) to something other than what this save wants; every other change
 * merges. The teacher's choices on the conflict screen settle a conflict: "theirs" drops this save's
 * change of the value, "mine" keeps it if the colleague's value is still the one that was shown.
 */

/** What one row of a save sets, after R11. */
export interface RowIntent {
  /** Meeting ids whose attendance this row sets to `present`. */
  attendance: PlanMeeting[];
  status: StatusCode | null;
  effort: Effort | null;
}

export function seenFromStored(e: PlanEnrolment, meetings: readonly PlanMeeting[], stored: (meetingId: string) => PlanAttendance | undefined): SeenValues {
  return {
    status: e.status,
    effort: effortFingerprint(e.effort, e.effort_comment),
    cells: new Map(meetings.map((m) => [m.id, cellFingerprint(stored(m.id))])),
  };
}

export function rowIntent(options: {
  row: RowInput;
  enrolment: PlanEnrolment;
  /** The meetings the save applies attendance to, for this row (none for an inactive enrolment). */
  chosen: readonly PlanMeeting[];
  meetings: readonly PlanMeeting[];
  stored: (meetingId: string) => PlanAttendance | undefined;
}): { intent: RowIntent; conflicts: ValueConflict[] } {
  const { row, enrolment: e, stored } = options;
  // What the page showed; without fingerprints, a save quoting the current version saw what is
  // stored, and one quoting an older version saw something unknown: all its changes conflict.
  const seen = row.seen ?? (row.version === e.version ? seenFromStored(e, options.meetings, stored) : undefined);
  const conflicts: ValueConflict[] = [];
  const base = { enrolmentId: e.id, name: e.user_name };
  /** Whether a change of the value under `key` survives R11; records a conflict when it does not. */
  const settle = (key: string, changedByOther: boolean, storedFingerprint: string, make: () => Omit<ValueConflict, 'enrolmentId' | 'name' | 'key' | 'fingerprint'>) => {
    if (!changedByOther) return true;
    const resolution = row.resolutions?.get(key);
    if (resolution?.choice === 'theirs') return false;
    if (resolution?.choice === 'mine' && resolution.over === storedFingerprint) return true;
    conflicts.push({ ...base, key, fingerprint: storedFingerprint, ...make() });
    return false;
  };

  let status: StatusCode | null = null;
  const shownStatus = seen?.status ?? e.status;
  if (row.status !== null && row.status !== shownStatus && row.status !== e.status) {
    const wanted = row.status;
    const keep = settle('status', seen === undefined || e.status !== seen.status, e.status, () => ({
      meetingStartsAt: null,
      theirs: { kind: 'status', status: e.status },
      mine: { kind: 'status', status: wanted },
    }));
    if (keep) status = wanted;
  }

  let effort: Effort | null = null;
  const wantedEffort = enteredEffort(row);
  const wantedFingerprint = effortFingerprint(wantedEffort.effort, wantedEffort.comment);
  const storedEffort = effortFingerprint(e.effort, e.effort_comment);
  if (!row.keepEffort && wantedFingerprint !== (seen?.effort ?? storedEffort) && wantedFingerprint !== storedEffort) {
    const keep = settle('effort', seen === undefined || storedEffort !== seen.effort, storedEffort, () => ({
      meetingStartsAt: null,
      theirs: { kind: 'effort', effort: e.effort, comment: e.effort_comment },
      mine: { kind: 'effort', effort: wantedEffort.effort, comment: wantedEffort.comment },
    }));
    if (keep) effort = wantedEffort;
  }

  const attendance: PlanMeeting[] = [];
  for (const m of options.chosen) {
    const record = stored(m.id);
    if (!isAttendanceChange(recordOf(record), row.present)) continue;
    const storedCell = cellFingerprint(record);
    const shownCell = seen ? (seen.cells.get(m.id) ?? '-') : undefined;
    const keep = settle(`attendance.${m.id}`, shownCell === undefined || storedCell !== shownCell, storedCell, () => ({
      meetingStartsAt: m.starts_at,
      theirs: { kind: 'attendance', state: attendanceStateOf(record), points: record?.study_points ?? null },
      mine: { kind: 'attendance', state: row.present ? 'present' : 'absent', points: null },
    }));
    if (keep) attendance.push(m);
  }

  return { intent: { attendance, status, effort }, conflicts };
}
