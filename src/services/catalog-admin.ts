import { newId, nowIso, type Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { PageRequest } from '../db/keyset.ts';
import {
  changedAttributes,
  parseCourse,
  parseProgramme,
  programmeCodes,
  type CourseField,
  type CourseForm,
  type CourseValues,
  type FieldRefusals,
  type ProgrammeField,
  type ProgrammeForm,
  type ProgrammeValues,
} from '../domain/catalog.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import {
  courseCodeTaken,
  findCourseIdsByCodes,
  getCourse,
  getProgramme,
  listCoursesPage,
  listProgrammesPage,
  replaceProgrammeCourses,
  updateCourse as writeCourse,
  updateProgramme as writeProgramme,
  type CourseRow,
} from '../repositories/catalog-admin.ts';
import { insertCourses, insertProgrammes } from '../repositories/catalog.ts';
import { listRunsOfCourse } from '../repositories/runs-admin.ts';
import type { Actor } from './actor.ts';
import { inTransaction, recordCatalogChange, requireAdmin } from './admin-access.ts';

/** Courses and programmes for head office: find, open, create and change, each change in the history. */

export const COURSES_PAGE_SIZE = 50;
export const PROGRAMMES_PAGE_SIZE = 50;
/** Runs shown on a course's page (the run overview, filtered by the course, has them all). */
export const COURSE_RUNS_SHOWN = 20;

export type Saved = { ok: true; id: string } | { ok: false; errors: FieldRefusals<string> };

export async function findCourses(db: Db, actor: Actor, options: { query: string; page: Omit<PageRequest, 'limit'> }) {
  requireAdmin(actor);
  const query = options.query.slice(0, 200);
  return { query, page: await listCoursesPage(db, { query, page: { ...options.page, limit: COURSES_PAGE_SIZE } }) };
}

/** A course with its latest runs. */
export async function getCourseForAdmin(db: Db, actor: Actor, courseId: string) {
  requireAdmin(actor);
  const course = await getCourse(db, courseId);
  if (!course) throw new NotFoundOrNoAccess();
  return { course, runs: await listRunsOfCourse(db, courseId, COURSE_RUNS_SHOWN) };
}

/** The form values of a stored course. */
export function courseForm(course: CourseRow): CourseForm {
  return {
    title: course.title,
    code: course.code,
    kind: course.kind,
    description: course.description ?? '',
    maxStudyPoints: String(course.max_study_points),
    studyTermDays: course.study_term_days === null ? '' : String(course.study_term_days),
    studyTermEndsOn: course.study_term_ends_on ?? '',
    knowledgeCentreUrl: course.knowledge_centre_url ?? '',
    elearningUrl: course.elearning_url ?? '',
  };
}

function courseColumns(v: CourseValues) {
  return {
    title: v.title,
    code: v.code,
    kind: v.kind,
    description: v.description,
    max_study_points: v.maxStudyPoints,
    study_term_days: v.studyTermDays,
    study_term_ends_on: v.studyTermEndsOn,
    knowledge_centre_url: v.knowledgeCentreUrl,
    elearning_url: v.elearningUrl,
  };
}

const codeTakenRefusal = { ok: false as const, errors: { code: { reason: 'code_taken' as const } } };

/** Creates a course as entered, or refuses with a reason per field (nothing written). */
export async function createCourse(db: Db, actor: Actor, form: CourseForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  try {
    return await inTransaction(db, async (trx) => {
      const taken = await courseCodeTaken(trx, (form.code ?? '').trim().toUpperCase());
      const parsed = parseCourse(form, () => taken);
      if (!parsed.ok) return parsed;
      const id = newId();
      const columns = courseColumns(parsed.values);
      await insertCourses(trx, [{ id, ...columns, version: 1, replaces_course_id: null, archived_at: null, cancelled_at: null, created_at: nowIso(now) }]);
      await recordCatalogChange(trx, actor, { field: 'course', old: null, new: JSON.stringify(columns), note: `course:${id}` }, now);
      return { ok: true, id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return codeTakenRefusal;
    throw error;
  }
}

/** Changes a course as entered (only what differs is written and recorded), or refuses per field. */
export async function updateCourse(db: Db, actor: Actor, courseId: string, form: CourseForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  try {
    return await inTransaction(db, async (trx) => {
      const course = await getCourse(trx, courseId);
      if (!course) throw new NotFoundOrNoAccess();
      const taken = await courseCodeTaken(trx, (form.code ?? '').trim().toUpperCase(), courseId);
      const parsed = parseCourse(form, () => taken);
      if (!parsed.ok) return parsed;
      const after = courseColumns(parsed.values);
      const before = Object.fromEntries(Object.keys(after).map((k) => [k, course[k as keyof CourseRow]])) as typeof after;
      const changed = changedAttributes(before, after);
      if (changed) {
        await writeCourse(trx, courseId, after);
        await recordCatalogChange(trx, actor, { field: 'course', old: changed.old, new: changed.new, note: `course:${courseId}` }, now);
      }
      return { ok: true, id: courseId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return codeTakenRefusal;
    throw error;
  }
}

export async function findProgrammes(db: Db, actor: Actor, page: Omit<PageRequest, 'limit'>) {
  requireAdmin(actor);
  return listProgrammesPage(db, { ...page, limit: PROGRAMMES_PAGE_SIZE });
}

export async function getProgrammeForAdmin(db: Db, actor: Actor, programmeId: string) {
  requireAdmin(actor);
  const programme = await getProgramme(db, programmeId);
  if (!programme) throw new NotFoundOrNoAccess();
  return programme;
}

/** The form values of a stored programme: its course codes one a line, in order. */
export function programmeForm(p: NonNullable<Awaited<ReturnType<typeof getProgramme>>>): ProgrammeForm {
  return {
    title: p.title,
    studyTermDays: p.study_term_days === null ? '' : String(p.study_term_days),
    studyTermEndsOn: p.study_term_ends_on ?? '',
    courses: p.courses.map((c) => c.code).join('\n'),
  };
}

async function parseProgrammeIn(db: Db, form: ProgrammeForm) {
  const ids = await findCourseIdsByCodes(db, programmeCodes(form.courses).slice(0, 101));
  return parseProgramme(form, (code) => ids.get(code));
}

function programmeColumns(v: ProgrammeValues) {
  return { title: v.title, study_term_days: v.studyTermDays, study_term_ends_on: v.studyTermEndsOn };
}

/** Creates a programme of the courses named by code, in order, or refuses per field. */
export async function createProgramme(db: Db, actor: Actor, form: ProgrammeForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const parsed = await parseProgrammeIn(trx, form);
    if (!parsed.ok) return parsed;
    const id = newId();
    const columns = programmeColumns(parsed.values);
    await insertProgrammes(trx, [{ id, ...columns, created_at: nowIso(now) }]);
    await replaceProgrammeCourses(trx, id, parsed.values.courseIds);
    await recordCatalogChange(trx, actor, { field: 'programme', old: null, new: JSON.stringify({ ...columns, courses: parsed.values.courseIds }), note: `programme:${id}` }, now);
    return { ok: true, id };
  });
}

/** Changes a programme: title, study term, and its courses and their order. */
export async function updateProgramme(db: Db, actor: Actor, programmeId: string, form: ProgrammeForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const programme = await getProgramme(trx, programmeId);
    if (!programme) throw new NotFoundOrNoAccess();
    const parsed = await parseProgrammeIn(trx, form);
    if (!parsed.ok) return parsed;
    const after = { ...programmeColumns(parsed.values), courses: parsed.values.courseIds.join(',') };
    const before = { title: programme.title, study_term_days: programme.study_term_days, study_term_ends_on: programme.study_term_ends_on, courses: programme.courses.map((c) => c.id).join(',') };
    const changed = changedAttributes(before, after);
    if (changed) {
      await writeProgramme(trx, programmeId, programmeColumns(parsed.values));
      if (before.courses !== after.courses) await replaceProgrammeCourses(trx, programmeId, parsed.values.courseIds);
      await recordCatalogChange(trx, actor, { field: 'programme', old: changed.old, new: changed.new, note: `programme:${programmeId}` }, now);
    }
    return { ok: true, id: programmeId };
  });
}

export type { CourseField, ProgrammeField };
