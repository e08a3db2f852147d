import type { Insertable } from 'kysely';
import { batches, type Database, type Db } from '../db/index.ts';

/**
 * Set-based inserts for the training catalogue and everything hanging off it: courses, programmes,
 * runs, teachers, meetings, enrolments, attendance and history. Each function writes its rows in as
 * few multi-row statements as the databases' bound-parameter limits allow (never one per row), does
 * nothing for an empty list, and takes plain table rows, so the demo data, imports and the benchmark
 * generator all share them. Rows are written as given: validation belongs to the caller.
 */

// Bound parameters per row are at most the table's column count; `batches()` sizes each statement
// from it so that no statement passes SQLite's or PostgreSQL's limit.
const COLUMNS = {
  courses: 15,
  programmes: 5,
  programme_courses: 3,
  runs: 9,
  run_teachers: 2,
  meetings: 6,
  attendance: 9,
} as const;

export type NewCourse = Insertable<Database['courses']>;
export type NewProgramme = Insertable<Database['programmes']>;
export type NewProgrammeCourse = Insertable<Database['programme_courses']>;
export type NewRun = Insertable<Database['runs']>;
export type NewRunTeacher = Insertable<Database['run_teachers']>;
export type NewMeeting = Insertable<Database['meetings']>;
export type NewEnrolment = Insertable<Database['enrolments']>;
export type NewAttendance = Insertable<Database['attendance']>;

/** Inserts courses. */
export async function insertCourses(db: Db, rows: readonly NewCourse[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.courses)) await db.insertInto('courses').values(batch).execute();
}

/** Inserts programmes (without their courses: see `insertProgrammeCourses`). */
export async function insertProgrammes(db: Db, rows: readonly NewProgramme[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.programmes)) await db.insertInto('programmes').values(batch).execute();
}

/** Inserts the ordered courses of programmes; the programmes and courses must exist. */
export async function insertProgrammeCourses(db: Db, rows: readonly NewProgrammeCourse[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.programme_courses)) {
    await db.insertInto('programme_courses').values(batch).execute();
  }
}

/** Inserts runs; their courses must exist. */
export async function insertRuns(db: Db, rows: readonly NewRun[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.runs)) await db.insertInto('runs').values(batch).execute();
}

/** Inserts who teaches which run; runs and users must exist. */
export async function insertRunTeachers(db: Db, rows: readonly NewRunTeacher[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.run_teachers)) await db.insertInto('run_teachers').values(batch).execute();
}

/** Inserts meetings; their runs must exist. */
export async function insertMeetings(db: Db, rows: readonly NewMeeting[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.meetings)) await db.insertInto('meetings').values(batch).execute();
}

/**
 * Inserts attendance records; a record for an (enrolment, meeting) pair that already exists is an
 * error here (replacing recorded attendance is the registration service's job, with its history).
 */
export async function insertAttendance(db: Db, rows: readonly NewAttendance[]): Promise<void> {
  for (const batch of batches(rows, COLUMNS.attendance)) await db.insertInto('attendance').values(batch).execute();
}

