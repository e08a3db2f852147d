import type { Db } from '../db/index.ts';
import type { PageRequest } from '../db/keyset.ts';
import { isDate, RUN_STATES, runState, type RunState } from '../domain/catalog.ts';
import { brusselsDate } from '../domain/dates.ts';
import type { Messages } from '../i18n/index.ts';
import { listCourseIdsWithCodes } from '../repositories/catalog-admin.ts';
import { findUserIdByEmail, listRunsPage, listTeacherNamesOfRuns, type RunFilter } from '../repositories/runs-admin.ts';
import type { Actor } from './actor.ts';
import { requireAdmin } from './admin-access.ts';
import { inPages, type Column } from './exports/table-export.ts';

export const RUNS_PAGE_SIZE = 50;
/** Runs read per query while exporting the overview (the export streams page after page). */
export const RUNS_EXPORT_PAGE_SIZE = 500;

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

/** The overview's filters resolved to ids, as the runs query takes them. */
async function resolveRunFilter(db: Db, filters: RunOverviewFilters, today: string): Promise<RunFilter> {
  // Every version of the course: a new version's runs and the old one's are the same course to head office.
  const courseIds = filters.course ? await listCourseIdsWithCodes(db, [...new Set([filters.course, filters.course.toUpperCase()])]) : undefined;
  // An unknown teacher matches no run, rather than every run.
  const teacherId = filters.teacher ? ((await findUserIdByEmail(db, filters.teacher)) ?? '') : undefined;
  return { courseIds, place: filters.place || undefined, from: filters.from || undefined, to: filters.to || undefined, teacherId, state: filters.state || undefined, today };
}

/**
 * **Beheer**: every run, latest start first, filtered by course, place, date range, teacher and state,
 * a keyset page at a time; each opens the participants page that teachers use.
 */
export async function getRunOverview(db: Db, actor: Actor, filters: RunOverviewFilters, page: Omit<PageRequest, 'limit'>, now: Date = new Date()) {
  requireAdmin(actor);
  const today = brusselsDate(now);
  const runs = await listRunsPage(db, await resolveRunFilter(db, filters, today), { ...page, limit: RUNS_PAGE_SIZE });
  const teachers = await listTeacherNamesOfRuns(db, runs.rows.map((r) => r.id));
  return { today, runs, teachers };
}

type OverviewRun = Awaited<ReturnType<typeof listRunsPage>>['rows'][number];
/** One line of the overview's export: a run with its teachers' names. */
export type RunOverviewExportRow = OverviewRun & { teachers: string[] };

/**
 * Every run the overview shows for these filters, in its order, for a CSV or XLSX export: read with
 * the overview's own query a keyset page at a time (and the teachers of each page in one query), so
 * only one page is in memory however many runs match. Access is checked before the first row.
 */
export async function exportRunOverview(db: Db, actor: Actor, filters: RunOverviewFilters, now: Date = new Date()) {
  requireAdmin(actor);
  const today = brusselsDate(now);
  const filter = await resolveRunFilter(db, filters, today);
  const rows = inPages<RunOverviewExportRow>(async (after) => {
    const page = await listRunsPage(db, filter, { after: after ? [after.starts_on, after.id] : undefined, limit: RUNS_EXPORT_PAGE_SIZE });
    const teachers = await listTeacherNamesOfRuns(db, page.rows.map((r) => r.id));
    return page.rows.map((r) => ({ ...r, teachers: teachers.get(r.id) ?? [] }));
  });
  return { today, rows };
}

/** The columns of the overview's export, headed in the reader's language; the state as of `today`. */
export function runOverviewColumns(t: Messages, today: string): Column<RunOverviewExportRow>[] {
  const x = t.catalog.overview;
  const e = t.runOverviewExport;
  return [
    { header: e.code, type: 'text', value: (r) => r.code, width: 16 },
    { header: e.courseCode, type: 'text', value: (r) => r.course_code, width: 14 },
    { header: e.courseTitle, type: 'text', value: (r) => r.course_title, width: 32 },
    { header: e.startsOn, type: 'date', value: (r) => r.starts_on },
    { header: e.endsOn, type: 'date', value: (r) => r.ends_on },
    { header: x.place, type: 'text', value: (r) => r.place, width: 18 },
    { header: x.teachers, type: 'text', value: (r) => r.teachers.join(', '), width: 30 },
    { header: x.participants, type: 'number', value: (r) => r.participants },
    { header: e.capacity, type: 'number', value: (r) => r.capacity },
    { header: x.state, type: 'text', value: (r) => t.catalog.states[runState(r, today)], width: 14 },
  ];
}
