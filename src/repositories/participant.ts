import type { Db } from '../db/index.ts';

/** What a participant's views and data export show of an enrolment's course and run (joined as `c` and `r`). */
export const COURSE_AND_RUN = [
  'c.title as course_title',
  'c.code as course_code',
  'c.kind as course_kind',
  'c.max_study_points',
  'r.code as run_code',
  'r.starts_on as run_starts_on',
  'r.ends_on as run_ends_on',
  'r.place as run_place',
] as const;

/**
 * Every enrolment of one user with its course, its run (when one is chosen) and the study points
 * its attendance credited, most recent run first.
 */
export async function listUserEnrolments(db: Db, userId: string) {
  const rows = await db
    .selectFrom('enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .select([
      'e.id',
      'e.status',
      'e.status_changed_at',
      'e.enrolled_at',
      'e.course_id',
      'e.run_id',
      'e.programme_id',
      ...COURSE_AND_RUN,
      'r.cancelled_at as run_cancelled_at',
      (eb) =>
        eb
          .selectFrom('attendance as a')
          .select((a) => a.fn.sum<number>('a.study_points').as('points'))
          .whereRef('a.enrolment_id', '=', 'e.id')
          .as('points'),
    ])
    .where('e.user_id', '=', userId)
    // An enrolment still waiting for its run choice sorts by when it was made; both are ISO text,
    // so one descending order works the same on SQLite and PostgreSQL (whose NULL ordering differs).
    .orderBy((eb) => eb.fn.coalesce('r.starts_on', 'e.enrolled_at'), 'desc')
    .orderBy('e.id', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, points: Number(r.points ?? 0) }));
}

export type UserEnrolmentRow = Awaited<ReturnType<typeof listUserEnrolments>>[number];

/** One enrolment with its owner, course and run, or undefined. */
export async function getEnrolmentWithCourse(db: Db, enrolmentId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .select([
      'e.id',
      'e.user_id',
      'e.status',
      'e.status_changed_at',
      'e.enrolled_at',
      'e.withdrawn_on',
      'e.effort',
      'e.effort_comment',
      'e.course_id',
      'e.run_id',
      ...COURSE_AND_RUN,
      'r.cancelled_at as run_cancelled_at',
      'r.cancel_reason as run_cancel_reason',
      'c.cancel_reason as course_cancel_reason',
    ])
    .where('e.id', '=', enrolmentId)
    .executeTakeFirst();
}

export type EnrolmentWithCourse = NonNullable<Awaited<ReturnType<typeof getEnrolmentWithCourse>>>;

/**
 * The meetings of a run with what is recorded for one enrolment at each (null columns where nothing
 * is), in time order.
 */
export async function listMeetingsWithAttendance(db: Db, runId: string, enrolmentId: string) {
  return db
    .selectFrom('meetings as m')
    .leftJoin('attendance as a', (join) => join.onRef('a.meeting_id', '=', 'm.id').on('a.enrolment_id', '=', enrolmentId))
    .select([
      'm.id',
      'm.starts_at',
      'm.ends_at',
      'm.place',
      'm.study_points as meeting_points',
      'a.present',
      'a.reported_absent_at',
      'a.absence_reason',
      'a.study_points as credited_points',
    ])
    .where('m.run_id', '=', runId)
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .execute();
}

/** The study points credited to one enrolment, over all its attendance records. */
export async function sumEnrolmentPoints(db: Db, enrolmentId: string): Promise<number> {
  const row = await db
    .selectFrom('attendance')
    .select((eb) => eb.fn.sum<number>('study_points').as('points'))
    .where('enrolment_id', '=', enrolmentId)
    .executeTakeFirst();
  return Number(row?.points ?? 0);
}
