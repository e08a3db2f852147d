import type { Insertable } from 'kysely';
import { newId } from '../../db/index.ts';
import type { CertificatesTable, CourseKind, EffortRating, HistorySource, StatusCode } from '../../db/schema.ts';
import { certificateNumber, verificationCode } from '../../domain/certificate.ts';
import type { HistoryEntry } from '../../domain/history-entry.ts';
import { addDays, brusselsDate } from '../../domain/dates.ts';
import { creditPoints, roundPoints } from '../../domain/study-points.ts';
import type {
  NewAttendance,
  NewCourse,
  NewEnrolment,
  NewMeeting,
  NewProgramme,
  NewProgrammeCourse,
  NewRun,
  NewRunTeacher,
} from '../../repositories/catalog.ts';
import type { NewUser } from '../../repositories/users.ts';
import type { DemoPerson } from './people.ts';

/**
 * Collects the rows of a demo (or test, or benchmark) organisation in memory, applying the product's
 * own rules where a person would have: study points are credited through `creditPoints` (R5), every
 * attendance, status, effort, withdrawal and certificate gets its history row (R9). Nothing here
 * touches the database; `rows()` hands everything over for set-based inserts.
 */

export interface DemoRows {
  users: NewUser[];
  courses: NewCourse[];
  programmes: NewProgramme[];
  programmeCourses: NewProgrammeCourse[];
  runs: NewRun[];
  runTeachers: NewRunTeacher[];
  meetings: NewMeeting[];
  enrolments: NewEnrolment[];
  attendance: NewAttendance[];
  certificates: Insertable<CertificatesTable>[];
  history: HistoryEntry[];
}

export interface CourseRef {
  id: string;
  code: string;
  kind: CourseKind;
  maxStudyPoints: number;
  studyTermDays: number | null;
}

export interface MeetingRef {
  id: string;
  startsAt: string;
  endsAt: string;
  studyPoints: number;
}

export interface RunRef {
  id: string;
  course: CourseRef;
  startsOn: string;
  teacherId: string;
  meetings: MeetingRef[];
}

export interface EnrolmentRef {
  row: NewEnrolment & { id: string; user_id: string; updated_at: string; status: StatusCode };
  run: RunRef | null;
}

export interface CourseSpec {
  code: string;
  title: string;
  kind: CourseKind;
  maxStudyPoints: number;
  studyTermDays?: number | null;
  knowledgeCentreUrl?: string | null;
  elearningUrl?: string | null;
}

export interface MeetingSpec {
  /** Brussels wall-clock start and end as UTC ISO strings. */
  startsAt: string;
  endsAt: string;
  studyPoints: number;
}

type PendingHistory = Omit<HistoryEntry, 'id'>;

const creditKey = (e: EnrolmentRef) => `${e.row.user_id}|${e.row.course_id}`;

/** Builds the rows of an organisation step by step; see the file comment. */
export class DemoBuilder {
  private readonly data: DemoRows = {
    users: [],
    courses: [],
    programmes: [],
    programmeCourses: [],
    runs: [],
    runTeachers: [],
    meetings: [],
    enrolments: [],
    attendance: [],
    certificates: [],
    history: [],
  };
  private readonly pendingHistory: PendingHistory[] = [];
  private readonly runsPerCourseYear = new Map<string, number>();
  // R5 holds per participant and course, across runs: points credited so far, by `user|course`.
  private readonly credited = new Map<string, number>();

  /** `createdAt` stamps the organisation's users, courses and programmes. */
  constructor(
    private readonly passwordHash: string,
    private readonly createdAt: string,
  ) {}

  /** Adds a user with the shared demo password; returns the id. */
  person(person: DemoPerson): string {
    const id = newId();
    this.data.users.push({ id, email: person.email, name: person.name, passwordHash: this.passwordHash, roles: person.roles, createdAt: this.createdAt });
    return id;
  }

  /** Adds a course (version 1, neither archived nor cancelled). */
  course(spec: CourseSpec): CourseRef {
    const id = newId();
    this.data.courses.push({
      id,
      code: spec.code,
      title: spec.title,
      kind: spec.kind,
      max_study_points: spec.maxStudyPoints,
      study_term_days: spec.studyTermDays ?? null,
      version: 1,
      replaces_course_id: null,
      knowledge_centre_url: spec.knowledgeCentreUrl ?? null,
      elearning_url: spec.elearningUrl ?? null,
      archived_at: null,
      cancelled_at: null,
      created_at: this.createdAt,
    });
    return { id, code: spec.code, kind: spec.kind, maxStudyPoints: spec.maxStudyPoints, studyTermDays: spec.studyTermDays ?? null };
  }

  /** A programme of `courses`, in that order. */
  programme(title: string, studyTermDays: number | null, courses: readonly CourseRef[]): string {
    const id = newId();
    this.data.programmes.push({ id, title, study_term_days: studyTermDays, created_at: this.createdAt });
    courses.forEach((c, i) => this.data.programmeCourses.push({ programme_id: id, course_id: c.id, position: i + 1 }));
    return id;
  }

  /**
   * A run of `course` taught by `teacherId`, with its meetings (in time order). Its code is the
   * course code, the year it starts and a sequence number within that year: `EHBO-101-2026-02`.
   */
  run(course: CourseRef, spec: { place: string; capacity: number | null; teacherId: string; createdAt: string; meetings: readonly MeetingSpec[] }): RunRef {
    const id = newId();
    const meetings = [...spec.meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const first = meetings[0];
    const last = meetings[meetings.length - 1];
    if (!first || !last) throw new Error(`run of ${course.code} needs at least one meeting`);
    const startsOn = brusselsDate(first.startsAt);
    const year = startsOn.slice(0, 4);
    const sequence = (this.runsPerCourseYear.get(`${course.code}|${year}`) ?? 0) + 1;
    this.runsPerCourseYear.set(`${course.code}|${year}`, sequence);
    this.data.runs.push({
      id,
      course_id: course.id,
      code: `${course.code}-${year}-${String(sequence).padStart(2, '0')}`,
      starts_on: startsOn,
      ends_on: brusselsDate(last.startsAt),
      place: spec.place,
      capacity: spec.capacity,
      cancelled_at: null,
      created_at: spec.createdAt,
    });
    this.data.runTeachers.push({ run_id: id, user_id: spec.teacherId });
    const refs = meetings.map((m) => ({ id: newId(), startsAt: m.startsAt, endsAt: m.endsAt, studyPoints: m.studyPoints }));
    for (const m of refs) {
      this.data.meetings.push({ id: m.id, run_id: id, starts_at: m.startsAt, ends_at: m.endsAt, place: spec.place, study_points: m.studyPoints });
    }
    return { id, course, startsOn, teacherId: spec.teacherId, meetings: refs };
  }

  /**
   * Enrols a user in a run, or in a course without a run (e-learning, or a programme course whose
   * run is still to be chosen). The enrolment is recorded in history as made by `enrolledBy`.
   */
  enrol(
    userId: string,
    target: { run: RunRef } | { course: CourseRef },
    options: { status: StatusCode; enrolledAt: string; enrolledBy: string; programmeId?: string; termDays?: number | null },
  ): EnrolmentRef {
    const run = 'run' in target ? target.run : null;
    const course = run ? run.course : (target as { course: CourseRef }).course;
    const termDays = options.termDays !== undefined ? options.termDays : course.studyTermDays;
    const row = {
      id: newId(),
      user_id: userId,
      course_id: course.id,
      run_id: run?.id ?? null,
      programme_id: options.programmeId ?? null,
      status: options.status,
      status_changed_at: options.enrolledAt,
      enrolled_at: options.enrolledAt,
      term_ends_on: termDays === null ? null : addDays(brusselsDate(options.enrolledAt), termDays),
      withdrawn_on: null,
      force_majeure_note: null,
      force_majeure_file: null,
      effort: null,
      effort_comment: null,
      // Demo rows start at version 1 even where history shows earlier changes: a version only has
      // to grow from here on for R11 to work.
      version: 1,
      updated_at: options.enrolledAt,
    } satisfies NewEnrolment;
    this.data.enrolments.push(row);
    const ref: EnrolmentRef = { row, run };
    this.history(ref, { at: options.enrolledAt, actorId: options.enrolledBy, source: 'admin', field: 'enrolment', oldValue: null, newValue: options.status });
    return ref;
  }

  /** The participant withdrew on `date` (recorded by the participant at `at`). The status is not changed. */
  withdraw(e: EnrolmentRef, date: string, at: string): void {
    e.row.withdrawn_on = date;
    this.touch(e, at);
    this.history(e, { at, actorId: e.row.user_id, source: 'participant', field: 'withdrawal', oldValue: null, newValue: date });
  }

  /** A status change by a person or the system. A change to completed issues a certificate (R3). */
  setStatus(e: EnrolmentRef, status: StatusCode, at: string, actor: { id: string | null; source: HistorySource }): void {
    const old = e.row.status;
    e.row.status = status;
    e.row.status_changed_at = at;
    this.touch(e, at);
    this.history(e, { at, actorId: actor.id, source: actor.source, field: 'status', oldValue: old, newValue: status });
    if (status === 'completed') {
      const completedOn = brusselsDate(at);
      const number = certificateNumber(completedOn);
      this.data.certificates.push({
        id: newId(),
        number,
        verification_code: verificationCode(),
        enrolment_id: e.row.id,
        user_id: e.row.user_id,
        course_id: e.row.course_id,
        study_points: this.creditedTo(e),
        completed_on: completedOn,
        issued_at: at,
        revoked_at: null,
      });
      this.history(e, { at, actorId: actor.id, source: actor.source, field: 'certificate', oldValue: null, newValue: number, note: 'issued' });
    }
  }

  /** An effort rating with a comment, entered by the run's teacher (R6). */
  setEffort(e: EnrolmentRef, effort: EffortRating, comment: string, at: string, teacherId: string): void {
    e.row.effort = effort;
    e.row.effort_comment = comment;
    this.touch(e, at);
    // Same "rating: comment" form the registration service writes, so history pages read it alike.
    this.history(e, { at, actorId: teacherId, source: 'teacher_form', field: 'effort', oldValue: null, newValue: `${effort}: ${comment}` });
  }

  /**
   * The teacher registers attendance at one meeting for several enrolments in one save (same time
   * for all), crediting study points up to the course maximum (R5) as the registration service does.
   */
  registerAttendance(run: RunRef, meeting: MeetingRef, entries: readonly { enrolment: EnrolmentRef; present: boolean }[], at: string): void {
    for (const { enrolment: e, present } of entries) {
      const [credit] = creditPoints(this.creditedTo(e), run.course.maxStudyPoints, [{ meetingPoints: meeting.studyPoints, present }], false);
      const points = credit?.points ?? 0;
      this.credited.set(creditKey(e), roundPoints(this.creditedTo(e) + points));
      this.data.attendance.push({
        enrolment_id: e.row.id,
        meeting_id: meeting.id,
        present: present ? 1 : 0,
        reported_absent_at: null,
        study_points: points,
        points_override_by: null,
        points_override_at: null,
        recorded_by: run.teacherId,
        recorded_at: at,
      });
      this.touch(e, at);
      const by = { at, actorId: run.teacherId, source: 'teacher_form' as const, meetingId: meeting.id };
      this.history(e, { ...by, field: 'attendance', oldValue: null, newValue: present ? 'present' : 'absent' });
      if (points > 0) this.history(e, { ...by, field: 'points', oldValue: '0', newValue: String(points) });
    }
  }

  /** The participant reports in advance that they will miss a (future) meeting. */
  reportAbsence(e: EnrolmentRef, meeting: MeetingRef, at: string): void {
    this.data.attendance.push({
      enrolment_id: e.row.id,
      meeting_id: meeting.id,
      present: null,
      reported_absent_at: at,
      study_points: 0,
      points_override_by: null,
      points_override_at: null,
      recorded_by: e.row.user_id,
      recorded_at: at,
    });
    this.touch(e, at);
    this.history(e, { at, actorId: e.row.user_id, source: 'participant', field: 'attendance', oldValue: null, newValue: 'reported_absent', meetingId: meeting.id });
  }

  /**
   * Everything collected. History ids are ULIDs whose order the history pages read as time order,
   * so they are made here, after sorting by `at`, rather than in the order the story was told.
   */
  rows(): DemoRows {
    const sorted = [...this.pendingHistory].sort((a, b) => a.at.localeCompare(b.at));
    return { ...this.data, history: sorted.map((h) => ({ id: newId(), ...h })) };
  }

  private creditedTo(e: EnrolmentRef): number {
    return this.credited.get(creditKey(e)) ?? 0;
  }

  private touch(e: EnrolmentRef, at: string): void {
    if (at > e.row.updated_at) e.row.updated_at = at;
  }

  private history(
    e: EnrolmentRef,
    h: { at: string; actorId: string | null; source: HistorySource; field: HistoryEntry['field']; oldValue: string | null; newValue: string | null; note?: string; meetingId?: string },
  ): void {
    this.pendingHistory.push({
      at: h.at,
      actor_id: h.actorId,
      source: h.source,
      user_id: e.row.user_id,
      enrolment_id: e.row.id,
      run_id: e.run?.id ?? null,
      meeting_id: h.meetingId ?? null,
      field: h.field,
      old_value: h.oldValue,
      new_value: h.newValue,
      note: h.note ?? null,
    });
  }
}
