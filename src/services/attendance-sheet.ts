import type { Db } from '../db/index.ts';
import { signsAttendanceSheet } from '../domain/attendance-sheet.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { listMeetings } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';
import { loadManagedRun } from './run-access.ts';
import { getParticipantsView } from './teacher-runs.ts';

export interface AttendanceSheet {
  run: { id: string; code: string; place: string; course_title: string; starts_on: string; ends_on: string };
  teachers: string[];
  /** The meetings the sheet is for: one, or all of the run's in time order (a section each). */
  meetings: { id: string; starts_at: string; ends_at: string; place: string; study_points: number }[];
  /** The participants who sign, in name order. */
  participants: { name: string }[];
}

/**
 * What an attendance sheet (presentielijst) prints, read exactly as the participants page reads it:
 * for one meeting of the run, or for all of them when `meetingId` is undefined. Only the run's
 * teachers and administrators get it (R1); a meeting of another run is "not found".
 */
export async function getAttendanceSheet(db: Db, actor: Actor, runId: string, meetingId?: string): Promise<AttendanceSheet> {
  const view = await getParticipantsView(db, actor, runId);
  const meetings = meetingId === undefined ? view.meetings : view.meetings.filter((m) => m.id === meetingId);
  if (meetingId !== undefined && meetings.length === 0) throw new NotFoundOrNoAccess();
  return {
    run: view.run,
    teachers: view.teachers,
    meetings,
    participants: view.active.filter(signsAttendanceSheet).map((r) => ({ name: r.name })),
  };
}

/** The run and its meetings, for the page that offers a sheet per meeting (R1 as for the run). */
export async function listSheetMeetings(db: Db, actor: Actor, runId: string) {
  const run = await loadManagedRun(db, actor, runId);
  return { run, meetings: await listMeetings(db, run.id) };
}
