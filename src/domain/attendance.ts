/** What is recorded for one participant at one meeting, as far as the attendance rules care. */
export interface AttendanceRecord {
  present: boolean | null;
  reportedAbsent: boolean;
}

/**
 * R7: whether writing `present` over `existing` overwrites something a person recorded before
 * (an earlier opposite registration, or an absence the participant reported in advance).
 */
export function isOverwrite(existing: AttendanceRecord | undefined, present: boolean): boolean {
  if (!existing) return false;
  if (existing.present === null) return existing.reportedAbsent && present;
  return existing.present !== present;
}

/** Whether writing `present` changes the record at all; unchanged records are not rewritten. */
export function isAttendanceChange(existing: AttendanceRecord | undefined, present: boolean): boolean {
  return !existing || existing.present !== present;
}

/** Attended meetings over meetings held so far, or null when none has been held. */
export function attendanceRate(attended: number, held: number): number | null {
  return held === 0 ? null : attended / held;
}
