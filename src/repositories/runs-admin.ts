import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/index.ts';
import { afterKey, toKeysetPage, type KeysetPage, type PageRequest } from '../db/keyset.ts';
import type { Database } from '../db/schema.ts';
import type { RunState } from '../domain/catalog.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';
import { escapeLike } from './privacy.ts';

/** Head office's queries on runs, their meetings and teachers, and the run overview. */

/** One run with its course, for the administrators' run page. */
export async function getRunForAdmin(db: Db, runId: string) {
  return db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select([
      'r.id',
      'r.code',
      'r.course_id',
      'r.place',
      'r.capacity',
      'r.starts_on',
      'r.ends_on',
      'r.cancelled_at',
      'c.code as course_code',
      'c.title as course_title',
      'c.max_study_points',
    ])
    .where('r.id', '=', runId)
    .executeTakeFirst();
}

export type AdminRun = NonNullable<Awaited<ReturnType<typeof getRunForAdmin>>>;

/** Whether another run than `exceptId` has this code. */
export async function runCodeTaken(db: Db, code: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('runs').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

export async function updateRun(db: Db, runId: string, values: Updateable<Database['runs']>): Promise<void> {
  await db.updateTable('runs').set(values).where('id', '=', runId).execute();
}

/** A run's meetings in time order, each with its number of attendance rows (registered or reported). */
export async function listMeetingsWithAttendance(db: Db, runId: string) {
  const rows = await db
    .selectFrom('meetings as m')
    .select([
      'm.id',
      'm.starts_at',
      'm.ends_at',
      'm.place',
      'm.study_points',
      (eb) => eb.selectFrom('attendance as a').select((s) => s.fn.countAll<number>().as('n')).whereRef('a.meeting_id', '=', 'm.id').as('attendance'),
    ])
    .where('m.run_id', '=', runId)
    .orderBy('m.starts_at')
    .orderBy('m.id')
    .execute();
  return rows.map((r) => ({ ...r, attendance: Number(r.attendance ?? 0) }));
}

export type AdminMeeting = Awaited<ReturnType<typeof listMeetingsWithAttendance>>[number];

export async function updateMeeting(db: Db, meetingId: string, values: Updateable<Database['meetings']>): Promise<void> {
  await db.updateTable('meetings').set(values).where('id', '=', meetingId).execute();
}

export async function deleteMeeting(db: Db, meetingId: string): Promise<void> {
  await db.deleteFrom('meetings').where('id', '=', meetingId).execute();
}

/** The teachers of a run, by name. */
export async function listRunTeachers(db: Db, runId: string) {
  return db
    .selectFrom('run_teachers as rt')
    .innerJoin('users as u', 'u.id', 'rt.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('rt.run_id', '=', runId)
    .orderBy('u.name')
    .orderBy('u.id')
    .execute();
}

/** Up to `limit` people holding the teacher role whose name or e-mail address contains `query`. */
export async function searchTeachers(db: Db, query: string, limit: number) {
  const text = query.trim().toLowerCase();
  if (text === '') return [];
  const pattern = `%${escapeLike(text)}%`;
  return db
    .selectFrom('user_roles as ur')
    .innerJoin('users as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('ur.role', '=', 'teacher')
    .where('u.anonymised_at', 'is', null)
    .where((eb) => eb.or([sql<boolean>`lower(${eb.ref('u.name')}) like ${pattern} escape '\\'`, sql<boolean>`lower(${eb.ref('u.email')}) like ${pattern} escape '\\'`]))
    .orderBy('u.name')
    .orderBy('u.id')
    .limit(limit)
    .execute();
}

/** A person with the teacher role (not anonymised), or undefined. */
export async function getTeacher(db: Db, userId: string) {
  return db
    .selectFrom('user_roles as ur')
    .innerJoin('users as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('ur.role', '=', 'teacher')
    .where('u.id', '=', userId)
    .where('u.anonymised_at', 'is', null)
    .executeTakeFirst();
}

export async function teachesRun(db: Db, runId: string, userId: string): Promise<boolean> {
  return (await db.selectFrom('run_teachers').select('user_id').where('run_id', '=', runId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

export async function addRunTeacher(db: Db, runId: string, userId: string): Promise<void> {
  await db.insertInto('run_teachers').values({ run_id: runId, user_id: userId }).execute();
}

export async function removeRunTeacher(db: Db, runId: string, userId: string): Promise<void> {
  await db.deleteFrom('run_teachers').where('run_id', '=', runId).where('user_id', '=', userId).execute();
}

export interface RunFilter {
  courseIds?: readonly string[] | undefined;
  place?: string | undefined;
  /** Runs taking place on or after this date (their end), and on or before `to` (their start). */
  from?: string | undefined;
  to?: string | undefined;
  teacherId?: string | undefined;
  state?: RunState | undefined;
  /** The Brussels date the states are judged on. */
  today: string;
}

/**
 * One page of runs, latest start first, filtered; each with its course and active participant count.
 * Every filter is a range or equality on an indexed column (migration 0050), so a page reads about
 * one page of index entries.
 */
export async function listRunsPage(db: Db, filter: RunFilter, page: PageRequest) {
  const backwards = !!page.before && !page.after;
  const key = page.after ?? page.before;
  let q = db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select([
      'r.id',
      'r.code',
      'r.place',
      'r.starts_on',
      'r.ends_on',
      'r.capacity',
      'r.cancelled_at',
      'c.title as course_title',
      'c.code as course_code',
      (eb) =>
        eb
          .selectFrom('enrolments as e')
          .select((s) => s.fn.countAll<number>().as('n'))
          .whereRef('e.run_id', '=', 'r.id')
          .where('e.status', 'not in', [...INACTIVE_STATUSES])
          .as('participants'),
    ]);
  if (filter.courseIds) q = filter.courseIds.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('r.course_id', 'in', [...filter.courseIds]);
  if (filter.place) q = q.where('r.place', '=', filter.place);
  if (filter.from) q = q.where('r.ends_on', '>=', filter.from);
  if (filter.to) q = q.where('r.starts_on', '<=', filter.to);
  if (filter.teacherId !== undefined) {
    const teacherId = filter.teacherId;
    q = q.where('r.id', 'in', (eb) => eb.selectFrom('run_teachers as rt').select('rt.run_id').where('rt.user_id', '=', teacherId));
  }
  switch (filter.state) {
    case 'cancelled':
      q = q.where('r.cancelled_at', 'is not', null);
      break;
    case 'planned':
      q = q.where('r.cancelled_at', 'is', null).where('r.starts_on', '>', filter.today);
      break;
    case 'running':
      q = q.where('r.cancelled_at', 'is', null).where('r.starts_on', '<=', filter.today).where('r.ends_on', '>=', filter.today);
      break;
    case 'finished':
      q = q.where('r.cancelled_at', 'is', null).where('r.ends_on', '<', filter.today);
      break;
    default:
  }
  // Latest first: the next page holds smaller keys.
  if (key) q = q.where((eb) => afterKey(eb, ['r.starts_on', 'r.id'], key, backwards ? '>' : '<'));
  const rows = await q
    .orderBy('r.starts_on', backwards ? 'asc' : 'desc')
    .orderBy('r.id', backwards ? 'asc' : 'desc')
    .limit(page.limit + 1)
    .execute();
  const result: KeysetPage<(typeof rows)[number] & { participants: number }> = toKeysetPage(
    rows.map((r) => ({ ...r, participants: Number(r.participants ?? 0) })),
    page,
    (r) => [r.starts_on, r.id],
  );
  return result;
}

/** Teacher names of several runs at once, by run. */
export async function listTeacherNamesOfRuns(db: Db, runIds: readonly string[]) {
  const byRun = new Map<string, string[]>();
  if (runIds.length === 0) return byRun;
  const rows = await db
    .selectFrom('run_teachers as rt')
    .innerJoin('users as u', 'u.id', 'rt.user_id')
    .select(['rt.run_id', 'u.name'])
    .where('rt.run_id', 'in', [...runIds])
    .orderBy('u.name')
    .execute();
  for (const r of rows) byRun.set(r.run_id, [...(byRun.get(r.run_id) ?? []), r.name]);
  return byRun;
}

/** The runs of one course, latest first, at most `limit`. */
export async function listRunsOfCourse(db: Db, courseId: string, limit: number) {
  return db
    .selectFrom('runs')
    .select(['id', 'code', 'place', 'starts_on', 'ends_on', 'cancelled_at'])
    .where('course_id', '=', courseId)
    .orderBy('starts_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The id of the user with this e-mail address (any case), for the teacher filter. */
export async function findUserIdByEmail(db: Db, email: string) {
  const row = await db.selectFrom('users').select('id').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  return row?.id;
}
