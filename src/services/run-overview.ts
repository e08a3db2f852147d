import type { Db } from '../db/index.ts';
import type { PageRequest } from '../db/keyset.ts';
import { isDate, RUN_STATES, type RunState } from '../domain/catalog.ts';
import { brusselsDate } from '../domain/dates.ts';
import { listCourseIdsWithCodes } from '../repositories/catalog-admin.ts';
import { findUserIdByEmail, listRunsPage, listTeacherNamesOfRuns } from '../repositories/runs-admin.ts';
import type { Actor } from './actor.ts';
import { requireAdmin } from './admin-access.ts';

export const RUNS_PAGE_SIZE = 50;

/** The run overview's filters as they stand in the query string. */
export interface RunOverviewFilters {
  /** A course code. */
  course: string;
  place: string;
  from: string;
  to: string;
  /** A teacher's e-mail address. */
  teacher: string;
  state: RunState | '';
}

/** Filters from a query string: anything that is not a filter value is left out. */
export function readRunFilters(query: (name: string) => string | undefined): RunOverviewFilters {
  const text = (name: string, max: number) => (query(name) ?? '').trim().slice(0, max);
  const date = (name: string) => {
    const v = text(name, 10);
    return isDate(v) ? v : '';
  };
  const state = text('state', 20);
  return {
    course: text('course', 40),
    place: text('place', 200),
    from: date('from'),
    to: date('to'),
    teacher: text('teacher', 200),
    state: (RUN_STATES as readonly string[]).includes(state) ? (state as RunState) : '',
  };
}

/**
 * **Beheer**: every run, latest start first, filtered by course, place, date range, teacher and state,
 * a keyset page at a time; each opens the participants page that teachers use.
 */
export async function getRunOverview(db: Db, actor: Actor, filters: RunOverviewFilters, page: Omit<PageRequest, 'limit'>, now: Date = new Date()) {
  requireAdmin(actor);
  const today = brusselsDate(now);
  // Every version of the course: a new version's runs and the old one's are the same course to head office.
  const courseIds = filters.course ? await listCourseIdsWithCodes(db, [...new Set([filters.course, filters.course.toUpperCase()])]) : undefined;
  // An unknown teacher matches no run, rather than every run.
  const teacherId = filters.teacher ? ((await findUserIdByEmail(db, filters.teacher)) ?? '') : undefined;
  const runs = await listRunsPage(
    db,
    { courseIds, place: filters.place || undefined, from: filters.from || undefined, to: filters.to || undefined, teacherId, state: filters.state || undefined, today },
    { ...page, limit: RUNS_PAGE_SIZE },
  );
  const teachers = await listTeacherNamesOfRuns(db, runs.rows.map((r) => r.id));
  return { today, runs, teachers };
}
