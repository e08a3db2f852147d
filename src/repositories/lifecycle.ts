import type { Insertable } from 'kysely';
import { batches, type Db } from '../db/index.ts';
import type { CoursesTable, StatusCode } from '../db/schema.ts';

/** A run with its course, as the administrator's cancellation page shows it. */
export async function getRunForAdmin(db: Db, runId: string) {
  return db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select(['r.id', 'r.code', 'r.starts_on', 'r.ends_on', 'r.place', 'r.cancelled_at', 'r.cancel_reason', 'r.course_id', 'c.title as course_title', 'c.version as course_version'])
    .where('r.id', '=', runId)
    .executeTakeFirst();
}

export type AdminRun = NonNullable<Awaited<ReturnType<typeof getRunForAdmin>>>;

/** A course with every setting a new version copies and its lifecycle columns. */
export async function getCourse(db: Db, courseId: string) {
  return db.selectFrom('courses').selectAll().where('id', '=', courseId).executeTakeFirst();
}

export type CourseRow = NonNullable<Awaited<ReturnType<typeof getCourse>>>;

/** The highest version of a course code. */
export async function latestVersionOf(db: Db, code: string): Promise<number> {
  const row = await db.selectFrom('courses').select((eb) => eb.fn.max('version').as('v')).where('code', '=', code).executeTakeFirst();
  return Number(row?.v ?? 0);
}

/** Courses for the administrator's lifecycle pages: newest versions first within a code. */
export async function listCourses(db: Db) {
  return db
    .selectFrom('courses')
    .select(['id', 'code', 'title', 'kind', 'version', 'replaces_course_id', 'archived_at', 'cancelled_at', 'cancel_reason'])
    .orderBy('title')
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
}

/**
 * The enrolments of a run or of a course (all its runs, and those without a run), locked until the
 * transaction ends (PostgreSQL; SQLite's write transaction runs alone), in id order.
 */
export async function lockEnrolmentsOf(db: Db, of: { runId: string } | { courseId: string }) {
  let q = db.selectFrom('enrolments').select(['id', 'user_id', 'run_id', 'status', 'version']);
  q = 'runId' in of ? q.where('run_id', '=', of.runId) : q.where('course_id', '=', of.courseId);
  return q.orderBy('id').forNoKeyUpdate().execute();
}

/** The enrolments of the given people in a course, locked as above. */
export async function lockCourseEnrolmentsOfUsers(db: Db, courseId: string, userIds: readonly string[]) {
  const out = [];
  for (const batch of batches(userIds, 1)) {
    out.push(
      ...(await db
        .selectFrom('enrolments')
        .select(['id', 'user_id', 'run_id', 'status', 'version'])
        .where('course_id', '=', courseId)
        .where('user_id', 'in', batch)
        .orderBy('id')
        .forNoKeyUpdate()
        .execute()),
    );
  }
  return out;
}

/**
 * Sets `status` on the given enrolments, only where they are still in one of `from` (the statuses the
 * plan read), raising their version (R11). Returns how many rows changed.
 */
export async function setEnrolmentStatus(
  db: Db,
  ids: readonly string[],
  change: { status: StatusCode; from: readonly StatusCode[]; at: string; exemptionReason?: string; exemptionFile?: string | null },
): Promise<number> {
  let changed = 0;
  for (const batch of batches(ids, 1)) {
    const result = await db
      .updateTable('enrolments')
      .set((eb) => ({
        status: change.status,
        status_changed_at: change.at,
        updated_at: change.at,
        version: eb('version', '+', 1),
        ...(change.exemptionReason === undefined ? {} : { exemption_reason: change.exemptionReason, exemption_file: change.exemptionFile ?? null }),
      }))
      .where('id', 'in', batch)
      .where('status', 'in', [...change.from])
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

/** Marks a run cancelled with its reason. */
export async function cancelRunRow(db: Db, runId: string, at: string, reason: string): Promise<void> {
  await db.updateTable('runs').set({ cancelled_at: at, cancel_reason: reason }).where('id', '=', runId).where('cancelled_at', 'is', null).execute();
}

/** Marks a course cancelled with its reason, and every run of it not cancelled yet, with the same reason. */
export async function cancelCourseRows(db: Db, courseId: string, at: string, reason: string): Promise<string[]> {
  await db.updateTable('courses').set({ cancelled_at: at, cancel_reason: reason }).where('id', '=', courseId).execute();
  const runs = await db.selectFrom('runs').select('id').where('course_id', '=', courseId).where('cancelled_at', 'is', null).execute();
  await db.updateTable('runs').set({ cancelled_at: at, cancel_reason: reason }).where('course_id', '=', courseId).where('cancelled_at', 'is', null).execute();
  return runs.map((r) => r.id);
}

/** Marks a course version archived. */
export async function archiveCourseRow(db: Db, courseId: string, at: string): Promise<void> {
  await db.updateTable('courses').set({ archived_at: at }).where('id', '=', courseId).execute();
}

export async function insertCourse(db: Db, row: Insertable<CoursesTable>): Promise<void> {
  await db.insertInto('courses').values(row).execute();
}

/** One enrolment with its person and course, for the exemption page. */
export async function getEnrolmentForAdmin(db: Db, enrolmentId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .select(['e.id', 'e.user_id', 'e.run_id', 'e.course_id', 'e.status', 'e.version', 'e.exemption_reason', 'e.exemption_file', 'u.name as user_name', 'u.email as user_email', 'c.title as course_title', 'c.version as course_version', 'r.code as run_code'])
    .where('e.id', '=', enrolmentId)
    .executeTakeFirst();
}

export type AdminEnrolment = NonNullable<Awaited<ReturnType<typeof getEnrolmentForAdmin>>>;

/** Locks one enrolment for a change. */
export async function lockEnrolment(db: Db, enrolmentId: string) {
  return db.selectFrom('enrolments').select(['id', 'user_id', 'run_id', 'status', 'version']).where('id', '=', enrolmentId).forNoKeyUpdate().executeTakeFirst();
}

/** The enrolments of a course with their people, for the administrator's choice of whom to exempt. */
export async function listCourseEnrolments(db: Db, courseId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .select(['e.id', 'e.status', 'u.name as user_name', 'u.email as user_email', 'r.code as run_code'])
    .where('e.course_id', '=', courseId)
    .orderBy('u.name')
    .orderBy('e.id')
    .execute();
}

/** People named by e-mail address (lower-cased) or personnel number, keyed by the key as normalised. */
export async function findPeopleByKeys(db: Db, emails: readonly string[], personnelNumbers: readonly string[]) {
  const rows: { id: string; name: string; email: string; personnel_number: string | null }[] = [];
  for (const batch of batches(emails, 1)) {
    rows.push(...(await db.selectFrom('users').select(['id', 'name', 'email', 'personnel_number']).where((eb) => eb.fn('lower', ['email']), 'in', batch).where('anonymised_at', 'is', null).execute()));
  }
  for (const batch of batches(personnelNumbers, 1)) {
    rows.push(...(await db.selectFrom('users').select(['id', 'name', 'email', 'personnel_number']).where('personnel_number', 'in', batch).where('anonymised_at', 'is', null).execute()));
  }
  return rows;
}

/** The runs of a course, earliest first. */
export async function listCourseRuns(db: Db, courseId: string) {
  return db
    .selectFrom('runs')
    .select(['id', 'code', 'starts_on', 'ends_on', 'place', 'cancelled_at', 'cancel_reason'])
    .where('course_id', '=', courseId)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}

/** Runs with their course title and teachers (one row per teacher, or one with no teacher): whom a cancellation is told. */
export async function listRunsWithTeachers(db: Db, runIds: readonly string[]) {
  const out = [];
  for (const batch of batches(runIds, 1)) {
    out.push(
      ...(await db
        .selectFrom('runs as r')
        .innerJoin('courses as c', 'c.id', 'r.course_id')
        .leftJoin('run_teachers as rt', 'rt.run_id', 'r.id')
        .select(['r.id', 'r.code', 'r.starts_on', 'r.place', 'c.title as course_title', 'rt.user_id as teacher_id'])
        .where('r.id', 'in', batch)
        .orderBy('r.id')
        .execute()),
    );
  }
  return out;
}
