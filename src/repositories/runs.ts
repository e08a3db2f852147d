import { sql } from 'kysely';
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

/** A row of `meetingsAndTeachersOfRun`: a meeting (`kind` meeting, no name) or a teacher (`kind` teacher, only the name). */
type MeetingOrTeacher = { kind: string; id: string | null; starts_at: string | null; ends_at: string | null; place: string | null; study_points: number | null; name: string | null };

const meetingsAndTeachersOfRun = preparedQuery((db: Db, runId: string) =>
  db
    .selectFrom('meetings as m')
    .select([sql.lit('meeting').as('kind'), 'm.id', 'm.starts_at', 'm.ends_at', 'm.place', 'm.study_points', sql<null>`null`.as('name')])
    .where('m.run_id', '=', runId)
    .$castTo<MeetingOrTeacher>()
    .unionAll(
      db
        .selectFrom('run_teachers as rt')
        .innerJoin('users as u', 'u.id', 'rt.user_id')
        .select([
          sql.lit('teacher').as('kind'),
          sql<null>`null`.as('id'),
          sql<null>`null`.as('starts_at'),
          sql<null>`null`.as('ends_at'),
          sql<null>`null`.as('place'),
          sql<null>`null`.as('study_points'),
          'u.name',
        ])
        .where('rt.run_id', '=', runId)
        .$castTo<MeetingOrTeacher>(),
    )
    .orderBy('kind')
    .orderBy('starts_at')
    .orderBy('id')
    .orderBy('name'),
);

/**
 * The run's meetings in time order and the names of its teachers in name order, read in one query
 * (the union of both, told apart by `kind`): the participants page needs both, and each query costs
 * it a round trip to the database (bench B, docs/performance.md).
 */
export async function listMeetingsAndTeacherNames(db: Db, runId: string): Promise<{ meetings: MeetingRow[]; teachers: string[] }> {
  const meetings: MeetingRow[] = [];
  const teachers: string[] = [];
  for (const r of await meetingsAndTeachersOfRun.execute(db, runId)) {
    if (r.kind === 'teacher') teachers.push(r.name!);
    else meetings.push({ id: r.id!, starts_at: r.starts_at!, ends_at: r.ends_at!, place: r.place!, study_points: r.study_points! });
  }
  return { meetings, teachers };
}

