import type { EffortRating, StatusCode } from '../../db/schema.ts';
import { isStatusCode } from '../study-status.ts';
import type { AttendanceState, PlanAttendance, SeenValues } from './model.ts';

/*
 * R11 compares what the page showed with what is stored now, value by value. The page carries a
 * fingerprint of each value in a hidden field: the status as it is, the effort and its comment as a
 * short hash (the comment can be long), and per meeting the attendance state and points.
 */

/** FNV-1a, 32 bits, as 8 hex digits: enough to notice that an effort or comment changed. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function effortFingerprint(effort: EffortRating | null, comment: string | null): string {
  return hash(`${effort ?? ''}\u0000${comment ?? ''}`);
}

export function attendanceStateOf(record: Pick<PlanAttendance, 'present' | 'reported_absent_at'> | undefined): AttendanceState | null {
  if (!record) return null;
  if (record.present === null) return record.reported_absent_at ? 'reported_absent' : null;
  return record.present === 1 ? 'present' : 'absent';
}

const STATE_CODE: Record<AttendanceState, string> = { present: 'P', absent: 'A', reported_absent: 'R' };

/** One meeting's attendance and points, e.g. `P1.5`, `A0`, `R0`, or `-` when nothing is recorded. */
export function cellFingerprint(record: Pick<PlanAttendance, 'present' | 'reported_absent_at' | 'study_points'> | undefined): string {
  const state = attendanceStateOf(record);
  return state === null ? '-' : `${STATE_CODE[state]}${record!.study_points}`;
}

/** The hidden-field text of what a row showed: `status;effort;cell,cell,…` in the order of the page's meetings. */
export function encodeSeen(status: StatusCode, effort: string, cells: readonly string[]): string {
  return `${status};${effort};${cells.join(',')}`;
}

const CELL = /^(-|[PAR]\d+(\.\d+)?)$/;

/** Reads `encodeSeen`'s text back, given the page's meeting ids in order; undefined when it is not one. */
export function decodeSeen(text: string, meetingIds: readonly string[]): SeenValues | undefined {
  const [status, effort, cells, extra] = text.split(';');
  if (extra !== undefined || status === undefined || effort === undefined || cells === undefined) return undefined;
  if (!isStatusCode(status) || !/^[0-9a-f]{8}$/.test(effort)) return undefined;
  const list = cells === '' ? [] : cells.split(',');
  if (list.length !== meetingIds.length || !list.every((c) => CELL.test(c))) return undefined;
  return { status, effort, cells: new Map(list.map((c, i) => [meetingIds[i]!, c])) };
}
