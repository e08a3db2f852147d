import type { Db } from '../db/index.ts';
import type { EffortRating, StatusCode } from '../db/schema.ts';
import type { Messages } from '../i18n/index.ts';
import { listRunAttendance, listRunParticipants } from '../repositories/enrolments.ts';
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

/**
 * A run's attendance, statuses, effort and points for export (R1: its teachers and administrators),
 * read with the participants page's own queries: one line per participant and meeting, participants
 * in name order and meetings in time order; a participant of a run without meetings gets one line.
 */
export async function getRunExport(db: Db, actor: Actor, runId: string) {
  const run = await loadManagedRun(db, actor, runId);
  const [meetings, participants, attendance] = await Promise.all([listMeetings(db, run.id), listRunParticipants(db, run.id), listRunAttendance(db, run.id)]);
  const records = new Map(attendance.map((a) => [`${a.enrolment_id}:${a.meeting_id}`, a]));
  function* rows(): Generator<RunExportRow> {
    for (const p of participants) {
      const person = {
        name: p.user_name,
        email: p.user_email,
        status: p.status,
        effort: p.effort,
        effortComment: p.effort_comment,
        withdrawnOn: p.withdrawn_on,
      };
      if (meetings.length === 0) yield { ...person, meetingStartsAt: null, place: null, attendance: null, points: null };
      for (const m of meetings) {
        const a = records.get(`${p.id}:${m.id}`);
        yield {
          ...person,
          meetingStartsAt: m.starts_at,
          place: m.place,
          attendance: !a ? null : a.present === 1 ? 'present' : a.present === 0 ? 'absent' : a.reported_absent_at ? 'reported_absent' : null,
          points: a ? Number(a.study_points) : null,
        };
      }
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
