import { sql, type Updateable } from 'kysely';
import type { Db } from '../db/index.ts';
import { afterKey, toKeysetPage, type KeysetPage, type PageRequest } from '../db/keyset.ts';
import type { Database } from '../db/schema.ts';
import { escapeLike } from './privacy.ts';

/** Head office's queries on courses and programmes: pages by keyset, look-ups by code, updates. */

const COURSE_COLUMNS = [
  'id',
  'code',
  'title',
  'kind',
  'description',
  'max_study_points',
  'study_term_days',
  'study_term_ends_on',
  'version',
  'knowledge_centre_url',
  'elearning_url',
  'archived_at',
  'cancelled_at',
] as const;

/** One course with everything its form shows. */
export async function getCourse(db: Db, courseId: string) {
  return db.selectFrom('courses').select(COURSE_COLUMNS).where('id', '=', courseId).executeTakeFirst();
}

export type CourseRow = NonNullable<Awaited<ReturnType<typeof getCourse>>>;

/** Ids of the courses with any of these codes (any version), by code. */
export async function findCourseIdsByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string>();
  // The newest version of each code wins: a programme names the course as it is taught now.
  const rows = await db.selectFrom('courses').select(['id', 'code', 'version']).where('code', 'in', [...codes]).orderBy('version').execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** Ids of every version of the courses with any of these codes. */
export async function listCourseIdsWithCodes(db: Db, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom('courses').select('id').where('code', 'in', [...codes]).execute();
  return rows.map((r) => r.id);
}

/** Whether another course than `exceptId` has this code. */
export async function courseCodeTaken(db: Db, code: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('courses').select('id').where('code', '=', code);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/**
 * One page of courses by title, optionally those whose code starts with or whose title contains
 * `query` (any case, matched literally).
 */
export async function listCoursesPage(db: Db, options: { query: string; page: PageRequest }): Promise<KeysetPage<Pick<CourseRow, 'id' | 'code' | 'title' | 'kind' | 'max_study_points' | 'version' | 'archived_at' | 'cancelled_at'>>> {
  const { page } = options;
  const backwards = !!page.before && !page.after;
  const key = page.after ?? page.before;
  let q = db.selectFrom('courses').select(['id', 'code', 'title', 'kind', 'max_study_points', 'version', 'archived_at', 'cancelled_at']);
  const text = options.query.trim().toLowerCase();
  if (text !== '') {
    const contains = `%${escapeLike(text)}%`;
    const prefix = `${escapeLike(text.toUpperCase())}%`;
    q = q.where((eb) => eb.or([sql<boolean>`${eb.ref('code')} like ${prefix} escape '\\'`, sql<boolean>`lower(${eb.ref('title')}) like ${contains} escape '\\'`]));
  }
  if (key) q = q.where((eb) => afterKey(eb, ['title', 'id'], key, backwards ? '<' : '>'));
  const rows = await q
    .orderBy('title', backwards ? 'desc' : 'asc')
    .orderBy('id', backwards ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute();
  return toKeysetPage(rows, page, (r) => [r.title, r.id]);
}

export async function updateCourse(db: Db, courseId: string, values: Updateable<Database['courses']>): Promise<void> {
  await db.updateTable('courses').set(values).where('id', '=', courseId).execute();
}

/** One programme with its courses in order. */
export async function getProgramme(db: Db, programmeId: string) {
  const programme = await db.selectFrom('programmes').select(['id', 'title', 'study_term_days', 'study_term_ends_on']).where('id', '=', programmeId).executeTakeFirst();
  if (!programme) return undefined;
  const courses = await db
    .selectFrom('programme_courses as pc')
    .innerJoin('courses as c', 'c.id', 'pc.course_id')
    .select(['c.id', 'c.code', 'c.title', 'pc.position'])
    .where('pc.programme_id', '=', programmeId)
    .orderBy('pc.position')
    .execute();
  return { ...programme, courses };
}

export type ProgrammeRow = NonNullable<Awaited<ReturnType<typeof getProgramme>>>;

/** One page of programmes by title, with their number of courses. */
export async function listProgrammesPage(db: Db, page: PageRequest) {
  const backwards = !!page.before && !page.after;
  const key = page.after ?? page.before;
  let q = db
    .selectFrom('programmes as p')
    .select([
      'p.id',
      'p.title',
      'p.study_term_days',
      'p.study_term_ends_on',
      (eb) => eb.selectFrom('programme_courses as pc').select((s) => s.fn.countAll<number>().as('n')).whereRef('pc.programme_id', '=', 'p.id').as('courses'),
    ]);
  if (key) q = q.where((eb) => afterKey(eb, ['p.title', 'p.id'], key, backwards ? '<' : '>'));
  const rows = await q
    .orderBy('p.title', backwards ? 'desc' : 'asc')
    .orderBy('p.id', backwards ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute();
  return toKeysetPage(
    rows.map((r) => ({ ...r, courses: Number(r.courses ?? 0) })),
    page,
    (r) => [r.title, r.id],
  );
}

export async function updateProgramme(db: Db, programmeId: string, values: Updateable<Database['programmes']>): Promise<void> {
  await db.updateTable('programmes').set(values).where('id', '=', programmeId).execute();
}

/** Replaces a programme's courses by `courseIds`, in that order. */
export async function replaceProgrammeCourses(db: Db, programmeId: string, courseIds: readonly string[]): Promise<void> {
  await db.deleteFrom('programme_courses').where('programme_id', '=', programmeId).execute();
  if (courseIds.length === 0) return;
  await db
    .insertInto('programme_courses')
    .values(courseIds.map((course_id, position) => ({ programme_id: programmeId, course_id, position: position + 1 })))
    .execute();
}
