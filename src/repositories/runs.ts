import type { Db } from '../db/index.ts';
import { preparedQuery } from '../db/prepared.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/** What every list and page shows of a run and its course (joined as `r` and `c`). */
const RUN_AND_COURSE = ['r.id', 'r.code', 'r.starts_on', 'r.ends_on', 'r.place', 'r.cancelled_at', 'r.cancel_reason', 'c.title as course_title', 'c.kind as course_kind'] as const;

/** The runs a teacher teaches, with course and active participant count. */
export async function listRunsTaughtBy(db: Db, teacherId: string) {
  return db
    .selectFrom('run_teachers as rt')
    .innerJoin('runs as r', 'r.id', 'rt.run_id')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .leftJoin('enrolments as e', (join) =>
      join
        .onRef('e.run_id', '=', 'r.id')
        .on('e.status', 'not in', [...INACTIVE_STATUSES]),
    )
    .select([
      ...RUN_AND_COURSE,
      (eb) => eb.fn.count<number>('e.id').as('participants'),
    ])
    .where('rt.user_id', '=', teacherId)
    .groupBy(['r.id', 'r.code', 'r.starts_on', 'r.ends_on', 'r.place', 'r.cancelled_at', 'r.cancel_reason', 'c.title', 'c.kind'])
    .orderBy('r.starts_on')
    .execute();
}

const runWithCourseFor = preparedQuery((db: Db, runId: string, userId: string) =>
  db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .leftJoin('run_teachers as rt', (join) => join.onRef('rt.run_id', '=', 'r.id').on('rt.user_id', '=', userId))
    .select([
      ...RUN_AND_COURSE,
      'r.course_id',
      'c.max_study_points',
      'rt.user_id as teacher_id',
    ])
    .where('r.id', '=', runId),
);

/**
 * A run with its course, and whether `userId` teaches it: what deciding access to a run needs, in
 * one prepared query instead of two (every participants page and every save asks it; bench B).
 */
export async function getRunWithCourseFor(db: Db, runId: string, userId: string) {
  const row = await runWithCourseFor.executeTakeFirst(db, runId, userId);
  if (!row) return undefined;
  const { teacher_id: teacherId, ...run } = row;
  return { run, teaches: teacherId !== null };
}

const meetingsOfRun = preparedQuery((db: Db, runId: string) =>
  db
    .selectFrom('meetings')
    .select(['id', 'starts_at', 'ends_at', 'place', 'study_points'])
    .where('run_id', '=', runId)
    .orderBy('starts_at')
    .orderBy('id'),
);

/** The run's meetings in time order. */
export async function listMeetings(db: Db, runId: string) {
  return meetingsOfRun.execute(db, runId);
}

export type MeetingRow = Awaited<ReturnType<typeof listMeetings>>[number];

const teacherNamesOfRun = preparedQuery((db: Db, runId: string) =>
  db.selectFrom('run_teachers as rt').innerJoin('users as u', 'u.id', 'rt.user_id').select('u.name').where('rt.run_id', '=', runId).orderBy('u.name'),
);

/** Names of the teachers of a run. */
export async function listRunTeacherNames(db: Db, runId: string) {
  const rows = await teacherNamesOfRun.execute(db, runId);
  return rows.map((r) => r.name);
}

