import type { Db } from '../db/index.ts';
import type { EffortRating, StatusCode } from '../db/schema.ts';
import type { Messages } from '../i18n/index.ts';
import { listAttendanceOf, listRunParticipants, type AttendanceRow } from '../repositories/enrolments.ts';
import { listMeetings } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';
import type { Column } from './exports/table-export.ts';
import { loadManagedRun } from './run-access.ts';

/** One line of a run's export: a participant at a meeting. */
export interface RunExportRow {
  name: string;
  email: string;
  status: StatusCode;
  effort: EffortRating | null;
  effortComment: string | null;
  withdrawnOn: string | null;
  meetingStartsAt: string | null;
  place: string | null;
  attendance: 'present' | 'absent' | 'reported_absent' | null;
  /** Study points credited for this meeting; null where nothing is recorded. */
  points: number | null;
}

/** Participants whose attendance the export reads at once: 250 × 20 meetings is 5,000 records. */
const PAGE_SIZE = 250;

type Participant = Awaited<ReturnType<typeof listRunParticipants>>[number];
type Meeting = Awaited<ReturnType<typeof listMeetings>>[number];

function attendanceOf(a: AttendanceRow | undefined): RunExportRow['attendance'] {
  if (!a) return null;
  return a.present === 1 ? 'present' : a.present === 0 ? 'absent' : a.reported_absent_at ? 'reported_absent' : null;
}

/** A page of participants' lines, each participant's records placed by meeting. */
function* pageRows(page: readonly Participant[], meetings: readonly Meeting[], meetingIndex: ReadonlyMap<string, number>, records: readonly AttendanceRow[]): Generator<RunExportRow> {
  const byEnrolment = new Map<string, (AttendanceRow | undefined)[]>();
  for (const a of records) {
    const at = meetingIndex.get(a.meeting_id);
    if (at === undefined) continue;
    let slots = byEnrolment.get(a.enrolment_id);
    if (!slots) byEnrolment.set(a.enrolment_id, (slots = new Array<AttendanceRow | undefined>(meetings.length)));
    slots[at] = a;
  }
  for (const p of page) {
    const line = (m: Meeting | undefined, a: AttendanceRow | undefined): RunExportRow => ({
      name: p.user_name,
      email: p.user_email,
      status: p.status,
      effort: p.effort,
      effortComment: p.effort_comment,
      withdrawnOn: p.withdrawn_on,
      meetingStartsAt: m ? m.starts_at : null,
      place: m ? m.place : null,
      attendance: attendanceOf(a),
      points: a ? Number(a.study_points) : null,
    });
    if (meetings.length === 0) yield line(undefined, undefined);
    const slots = byEnrolment.get(p.id);
    for (let i = 0; i < meetings.length; i++) yield line(meetings[i], slots?.[i]);
  }
}

/**
 * A run's attendance, statuses, effort and points for export (R1: its teachers and administrators),
 * read with the participants page's own queries: one line per participant and meeting, participants
 * in name order and meetings in time order; a participant of a run without meetings gets one line.
 * The lines are made as the file is written, the attendance read a page of participants at a time,
 * so that a run of 100,000 lines never sits in memory whole.
 */
export async function getRunExport(db: Db, actor: Actor, runId: string, { pageSize = PAGE_SIZE } = {}) {
  const run = await loadManagedRun(db, actor, runId);
  const [meetings, participants] = await Promise.all([listMeetings(db, run.id), listRunParticipants(db, run.id)]);
  const meetingIndex = new Map(meetings.map((m, i) => [m.id, i]));
  async function* rows(): AsyncGenerator<RunExportRow> {
    for (let from = 0; from < participants.length; from += pageSize) {
      const page = participants.slice(from, from + pageSize);
      const records = meetings.length === 0 ? [] : await listAttendanceOf(db, page.map((p) => p.id));
      yield* pageRows(page, meetings, meetingIndex, records);
    }
  }
  return { run, rows: rows() };
}

/** The columns of a run's export, headed and labelled in the reader's language. */
export function runExportColumns(t: Messages): Column<RunExportRow>[] {
  const x = t.runExport;
  const attendance = { present: t.teacher.attended, absent: t.teacher.notAttended, reported_absent: t.teacher.reportedAbsent } as const;
  return [
    { header: x.participant, type: 'text', value: (r) => r.name, width: 28 },
    { header: x.email, type: 'text', value: (r) => r.email, width: 30 },
    { header: x.status, type: 'text', value: (r) => t.statuses[r.status], width: 22 },
    { header: x.effort, type: 'text', value: (r) => (r.effort ? t.efforts[r.effort] : null), width: 14 },
    { header: x.effortComment, type: 'text', value: (r) => r.effortComment, width: 30 },
    { header: x.withdrawnOn, type: 'date', value: (r) => r.withdrawnOn },
    { header: x.meeting, type: 'dateTime', value: (r) => r.meetingStartsAt },
    { header: x.place, type: 'text', value: (r) => r.place, width: 18 },
    { header: x.attendance, type: 'text', value: (r) => (r.meetingStartsAt === null ? null : r.attendance ? attendance[r.attendance] : t.teacher.notRecorded), width: 18 },
    { header: x.points, type: 'number', value: (r) => r.points },
  ];
}
