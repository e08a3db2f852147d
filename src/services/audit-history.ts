import type { Db } from '../db/index.ts';
import type { HistoryTable } from '../db/schema.ts';
import { addDays } from '../domain/dates.ts';
import { brusselsInstant } from '../domain/brussels-time.ts';
import { isDate } from '../domain/catalog.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getRunIdByCode, getUserIdByEmail, listAuditHistory, type AuditFilter, type AuditRow } from '../repositories/audit-history.ts';
import type { Actor } from './actor.ts';
import { inPages } from './exports/table-export.ts';

/** Rows per page of the administrators' history. */
export const AUDIT_PAGE_SIZE = 50;
/** Rows read per query while exporting (the export streams page after page). */
export const AUDIT_EXPORT_BATCH = 1000;

/** Every kind of change history records, in the order the filter lists them. */
export const HISTORY_FIELDS: readonly HistoryTable['field'][] = [
  'enrolment',
  'waiting_list',
  'status',
  'attendance',
  'points',
  'effort',
  'withdrawal',
  'certificate',
  'account',
  'role',
  'course',
  'programme',
  'run',
  'meeting',
  'teacher',
  'organisation',
];

/** The filters as typed in the form (query string): run code, e-mail addresses, kind, Brussels dates. */
export interface AuditQuery {
  run?: string | undefined;
  person?: string | undefined;
  actor?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export type AuditQueryField = keyof AuditQuery;
/** Why a filter value was not understood (i18n keys under `auditHistory.problems`). */
export type AuditQueryProblem = 'unknown_run' | 'unknown_person' | 'unknown_kind' | 'invalid_date' | 'dates_reversed';

const clean = (v: string | undefined) => (v ?? '').trim().slice(0, 254);

/**
 * The filters resolved to ids and instants (dates are Brussels days, `to` included), with a problem
 * per filter that names nothing known; a filter with a problem matches no rows rather than all.
 */
export async function resolveAuditQuery(db: Db, query: AuditQuery): Promise<{ filter: AuditFilter; problems: Partial<Record<AuditQueryField, AuditQueryProblem>>; matchesNothing: boolean }> {
  const problems: Partial<Record<AuditQueryField, AuditQueryProblem>> = {};
  const filter: AuditFilter = {};
  const run = clean(query.run);
  const person = clean(query.person);
  const actor = clean(query.actor);
  const kind = clean(query.kind);
  const from = clean(query.from);
  const to = clean(query.to);
  if (run) {
    filter.runId = await getRunIdByCode(db, run);
    if (!filter.runId) problems.run = 'unknown_run';
  }
  if (person) {
    filter.userId = await getUserIdByEmail(db, person);
    if (!filter.userId) problems.person = 'unknown_person';
  }
  if (actor) {
    filter.actorId = await getUserIdByEmail(db, actor);
    if (!filter.actorId) problems.actor = 'unknown_person';
  }
  if (kind) {
    if ((HISTORY_FIELDS as readonly string[]).includes(kind)) filter.field = kind as HistoryTable['field'];
    else problems.kind = 'unknown_kind';
  }
  if (from) {
    if (isDate(from)) filter.from = brusselsInstant(from, '00:00');
    else problems.from = 'invalid_date';
  }
  if (to) {
    if (isDate(to)) filter.until = brusselsInstant(addDays(to, 1), '00:00');
    else problems.to = 'invalid_date';
  }
  if (filter.from && filter.until && filter.from >= filter.until) problems.to = 'dates_reversed';
  return { filter, problems, matchesNothing: Object.keys(problems).length > 0 };
}

export interface AuditPage {
  rows: AuditRow[];
  /** Id of the last row: the older page starts after it. */
  next: string | null;
  /** Id of the first row: the newer page ends before it. */
  previous: string | null;
}

const CURSOR = /^[0-9A-Za-z]{1,40}$/;

/**
 * One page of the append-only history for an administrator, newest first, filtered by run, person,
 * actor, kind of change and date range (keyset pages: `after` for older, `before` for newer).
 */
export async function browseAuditHistory(db: Db, actor: Actor, query: AuditQuery, cursor: { after?: string | undefined; before?: string | undefined } = {}) {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const resolved = await resolveAuditQuery(db, query);
  const after = cursor.after && CURSOR.test(cursor.after) ? cursor.after : undefined;
  const before = !after && cursor.before && CURSOR.test(cursor.before) ? cursor.before : undefined;
  if (resolved.matchesNothing) return { problems: resolved.problems, page: { rows: [], next: null, previous: null } satisfies AuditPage };
  const fetched = await listAuditHistory(db, resolved.filter, { after, before, limit: AUDIT_PAGE_SIZE });
  const more = fetched.length > AUDIT_PAGE_SIZE;
  const rows = fetched.slice(0, AUDIT_PAGE_SIZE);
  if (before) rows.reverse();
  const page: AuditPage = {
    rows,
    next: (before ? true : more) && rows.length > 0 ? rows.at(-1)!.id : null,
    previous: (before ? more : !!after) && rows.length > 0 ? rows[0]!.id : null,
  };
  return { problems: resolved.problems, page };
}

/**
 * Every history row matching the filters, newest first, for the CSV and XLSX exports: read with the
 * page's own query a keyset page of AUDIT_EXPORT_BATCH rows at a time (never the whole history in
 * memory). Access and filters are checked before the first row; nothing when a filter names nothing known.
 */
export async function exportAuditHistory(db: Db, actor: Actor, query: AuditQuery): Promise<AsyncIterable<AuditRow>> {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const resolved = await resolveAuditQuery(db, query);
  if (resolved.matchesNothing) return inPages<AuditRow>(async () => []);
  // The query returns up to limit + 1 rows: a page of exactly AUDIT_EXPORT_BATCH.
  return inPages<AuditRow>((after) => listAuditHistory(db, resolved.filter, { after: after?.id, limit: AUDIT_EXPORT_BATCH - 1 }));
}
