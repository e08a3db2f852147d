import type { Db } from '../db/index.ts';
import type { CourseKind, StatusCode } from '../db/schema.ts';
import { roundPoints } from '../domain/study-points.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { listEnrolmentCertificates, listValidCertificates } from '../repositories/certificates.ts';
import { listHistory, type HistoryListRow } from '../repositories/history.ts';
import {
  getEnrolmentWithCourse,
  listMeetingsWithAttendance,
  listUserEnrolments,
  sumEnrolmentPoints,
  type EnrolmentWithCourse,
} from '../repositories/participant.ts';
import type { Actor } from './actor.ts';

/** Changes shown per page of an enrolment's history. */
export const HISTORY_PAGE_SIZE = 20;

/** A history page cursor is a history id: a ULID. Anything else is not a cursor we made. */
const HISTORY_CURSOR = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether `value` can be a history page cursor (the id of the last change on the previous page). */
export function isHistoryCursor(value: string | undefined): value is string {
  return value !== undefined && HISTORY_CURSOR.test(value);
}

export interface MyEnrolment {
  id: string;
  status: StatusCode;
  courseTitle: string;
  courseCode: string;
  courseKind: CourseKind;
  maxStudyPoints: number;
  /** Null while the participant must still choose a run (Uitvoeringskeuze vereist). */
  run: { code: string; startsOn: string; endsOn: string; place: string; cancelled: boolean } | null;
  points: number;
  certificate: { id: string; number: string } | null;
}

export interface TranscriptLine {
  courseId: string;
  courseTitle: string;
  courseCode: string;
  points: number;
  maxStudyPoints: number;
}

export interface MyEnrolments {
  enrolments: MyEnrolment[];
  /** Study points per course (only courses that credited any), and their sum. */
  transcript: { lines: TranscriptLine[]; total: number };
}

/**
 * **Mijn opleidingen**: the actor's own enrolments, each with its run, status, credited study points
 * and valid certificate, plus a transcript of study points per course.
 *
 * Anyone signed in may call it: every role may see their own enrolments (SPEC §2: a teacher or an
 * administrator may do everything a participant may), and it only ever reads the actor's own rows.
 */
export async function listMyEnrolments(db: Db, actor: Actor): Promise<MyEnrolments> {
  const rows = await listUserEnrolments(db, actor.id);
  const certificates = await listValidCertificates(db, rows.map((r) => r.id));
  const certificateByEnrolment = new Map(certificates.map((c) => [c.enrolment_id, { id: c.id, number: c.number }]));

  const enrolments = rows.map(
    (r): MyEnrolment => ({
      id: r.id,
      status: r.status,
      courseTitle: r.course_title,
      courseCode: r.course_code,
      courseKind: r.course_kind,
      maxStudyPoints: r.max_study_points,
      // The run's columns come from a left join: all present exactly when a run is chosen.
      run:
        r.run_code !== null && r.run_starts_on !== null && r.run_ends_on !== null && r.run_place !== null
          ? { code: r.run_code, startsOn: r.run_starts_on, endsOn: r.run_ends_on, place: r.run_place, cancelled: !!r.run_cancelled_at }
          : null,
      points: roundPoints(r.points),
      certificate: certificateByEnrolment.get(r.id) ?? null,
    }),
  );

  // The course maximum (R5) holds per course, not per enrolment: a second run of the same course
  // adds to the same total, so the transcript adds up per course.
  const byCourse = new Map<string, TranscriptLine>();
  for (const r of rows) {
    const line = byCourse.get(r.course_id) ?? {
      courseId: r.course_id,
      courseTitle: r.course_title,
      courseCode: r.course_code,
      points: 0,
      maxStudyPoints: r.max_study_points,
    };
    line.points = roundPoints(line.points + r.points);
    byCourse.set(r.course_id, line);
  }
  const lines = [...byCourse.values()].filter((l) => l.points > 0);
  const total = roundPoints(lines.reduce((sum, l) => sum + l.points, 0));
  return { enrolments, transcript: { lines, total } };
}

export type MeetingAttendance = 'present' | 'absent' | 'reported_absent' | 'not_recorded';

export interface MyEnrolmentDetail {
  enrolment: EnrolmentWithCourse;
  meetings: {
    id: string;
    startsAt: string;
    endsAt: string;
    place: string;
    meetingPoints: number;
    attendance: MeetingAttendance;
    /** The reason given when the absence was reported in advance. */
    absenceReason: string | null;
    creditedPoints: number;
  }[];
  points: number;
  certificates: Awaited<ReturnType<typeof listEnrolmentCertificates>>;
  history: { rows: HistoryListRow[]; nextBefore: string | null; isFirstPage: boolean };
}

/**
 * One of the actor's own enrolments in full: status, attendance per meeting, study points against
 * the course maximum, effort (R6), certificates (R3) and one page of its history (R9), newest first.
 *
 * Only the enrolment's owner gets it. Anyone else, administrators included (they have their own
 * audit pages), is told it does not exist, so an enrolment id reveals nothing.
 */
export async function getMyEnrolment(
  db: Db,
  actor: Actor,
  enrolmentId: string,
  options: { before?: string | undefined } = {},
): Promise<MyEnrolmentDetail> {
  const enrolment = await getEnrolmentWithCourse(db, enrolmentId);
  if (!enrolment || enrolment.user_id !== actor.id) throw new NotFoundOrNoAccess();

  const before = isHistoryCursor(options.before) ? options.before : undefined;
  const [meetings, points, certificates, history] = await Promise.all([
    enrolment.run_id ? listMeetingsWithAttendance(db, enrolment.run_id, enrolment.id) : Promise.resolve([]),
    sumEnrolmentPoints(db, enrolment.id),
    listEnrolmentCertificates(db, enrolment.id),
    // One row more than a page tells whether an older page exists without counting.
    listHistory(db, { enrolmentId: enrolment.id, before, limit: HISTORY_PAGE_SIZE + 1 }),
  ]);

  const page = history.slice(0, HISTORY_PAGE_SIZE);
  return {
    enrolment,
    meetings: meetings.map((m) => ({
      id: m.id,
      startsAt: m.starts_at,
      endsAt: m.ends_at,
      place: m.place,
      meetingPoints: m.meeting_points,
      attendance: attendanceOf(m.present, m.reported_absent_at),
      absenceReason: m.reported_absent_at ? m.absence_reason : null,
      creditedPoints: roundPoints(m.credited_points ?? 0),
    })),
    points: roundPoints(points),
    certificates,
    history: {
      rows: page,
      nextBefore: history.length > HISTORY_PAGE_SIZE ? page[page.length - 1]!.id : null,
      isFirstPage: before === undefined,
    },
  };
}

function attendanceOf(present: number | null, reportedAbsentAt: string | null): MeetingAttendance {
  if (present === 1) return 'present';
  if (present === 0) return 'absent';
  return reportedAbsentAt ? 'reported_absent' : 'not_recorded';
}
