import { parse } from 'csv-parse/sync';
import { newId, nowIso, type Db } from '../db/index.ts';
import type { Role } from '../db/schema.ts';
import {
  countOutcomes,
  detectDelimiter,
  mapColumns,
  MAX_IMPORT_LINES,
  normaliseEmail,
  planEnrolmentLines,
  planUserLines,
  type EnrolmentLineValues,
  type FileProblem,
  type ImportKind,
  type LineOutcome,
  type PlannedLine,
  type SourceLine,
  type UserLineValues,
} from '../domain/csv-import.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import {
  addRoles,
  deleteStagedImport,
  deleteStagedImportsBefore,
  getStagedImport,
  insertStagedImport,
  listPresentInRuns,
  listRunsByCodes,
  listUsersByEmails,
  upsertUsersByEmail,
} from '../repositories/csv-import.ts';
import { appendHistory, type HistoryEntry } from '../repositories/history.ts';
import type { Actor } from './actor.ts';
import { placeInRun } from './run-places.ts';

/** The largest file accepted (50,000 lines of a few columns take about 3 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** A staged file not imported within this many hours is removed. */
export const STAGED_IMPORT_HOURS = 24;

export type ImportMode = 'all' | 'valid';

/** The file cannot be read as a CSV file of this kind; `line` where the parser stopped, `columns` missing. */
export interface FileRefusal {
  problem: FileProblem;
  line?: number;
  columns?: string[];
}

export class ImportRefused extends AppError {
  constructor(readonly reason: 'file_problem' | 'refused_lines' | 'nothing_to_import' | 'too_large' | 'empty_file', readonly file?: FileRefusal) {
    super('invalid_input', 422, reason);
  }
}

function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

/**
 * Reads a CSV file as Belgian spreadsheets save it: UTF-8 with or without a byte-order mark, `;` or
 * `,` between fields (detected from the header line), fields in double quotes (with `;`, `,`, quotes
 * or line breaks inside), Windows or Unix line ends. The first line names the columns.
 */
export function readCsv(kind: ImportKind, text: string): { ok: true; lines: SourceLine[]; columns: ReturnType<typeof mapColumns> & { ok: true } } | { ok: false; refusal: FileRefusal } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let records: string[][];
  try {
    // Empty lines are kept as records here and dropped below, so that line numbers can be counted
    // from the records themselves: csv-parse's per-record `info` costs twice the parse itself.
    records = parse(body, { delimiter: detectDelimiter(body), relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return { ok: false, refusal: { problem: 'malformed', ...(typeof line === 'number' ? { line } : {}) } };
  }
  const numbered: SourceLine[] = [];
  let line = 1;
  for (const cells of records) {
    if (cells.some((c) => c.trim() !== '')) numbered.push({ line, cells });
    // A quoted field may hold line breaks: the next record starts that many lines further.
    line += 1;
    for (const c of cells) for (let i = c.indexOf('\n'); i >= 0; i = c.indexOf('\n', i + 1)) line += 1;
  }
  const [header, ...lines] = numbered;
  if (!header || lines.length === 0) return { ok: false, refusal: { problem: 'empty' } };
  if (lines.length > MAX_IMPORT_LINES) return { ok: false, refusal: { problem: 'too_many_lines' } };
  const columns = mapColumns(kind, header.cells);
  if (!columns.ok) return { ok: false, refusal: { problem: 'missing_columns', columns: columns.missing } };
  return { ok: true, columns, lines };
}

/**
 * Keeps an uploaded file for its preview and import (so it is sent once), for the administrator who
 * sent it. Files left over from more than a day ago are removed on the way.
 */
export async function stageImport(db: Db, actor: Actor, kind: ImportKind, fileName: string, content: string, now: Date = new Date()): Promise<string> {
  requireAdmin(actor);
  if (Buffer.byteLength(content) > MAX_IMPORT_BYTES) throw new ImportRefused('too_large');
  if (content.trim() === '') throw new ImportRefused('empty_file');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await deleteStagedImportsBefore(trx, nowIso(new Date(now.getTime() - STAGED_IMPORT_HOURS * 3_600_000)));
    await insertStagedImport(trx, { id, kind, actor_id: actor.id, file_name: fileName.slice(0, 200), content: content.replace(/\u0000/g, ''), created_at: nowIso(now) });
  });
  return id;
}

export type PlannedImport =
  | { kind: 'users'; lines: PlannedLine<UserLineValues>[] }
  | { kind: 'enrolments'; lines: PlannedLine<EnrolmentLineValues>[] };

/** What each line would do against the database as it is now. */
async function plan(db: Db, kind: ImportKind, read: Extract<ReturnType<typeof readCsv>, { ok: true }>): Promise<PlannedImport> {
  const { lines, columns } = read;
  const emailColumn = columns.columns.email!;
  const emails = [...new Set(lines.map((l) => normaliseEmail(l.cells[emailColumn] ?? '')).filter((e): e is string => !!e))];
  const users = await listUsersByEmails(db, emails);
  if (kind === 'users') {
    const existing = new Map(users.map((u) => [u.email, { id: u.id, name: u.name, roles: u.roles }]));
    return { kind, lines: planUserLines(lines, columns.columns, existing) };
  }
  const runColumn = columns.columns.run!;
  const codes = [...new Set(lines.map((l) => (l.cells[runColumn] ?? '').trim()).filter((c) => c !== ''))];
  const runs = await listRunsByCodes(db, codes);
  const people = new Map(users.map((u) => [u.email, { id: u.id, active: !u.deactivated_at && !u.anonymised_at }]));
  const present = await listPresentInRuns(db, runs.map((r) => r.id), users.map((u) => u.id));
  const knownRuns = new Map(runs.map((r) => [r.code, { id: r.id, cancelled: !!r.cancelled_at }]));
  return { kind, lines: planEnrolmentLines(lines, columns.columns, people, knownRuns, present) };
}

export interface ImportPreview {
  id: string;
  kind: ImportKind;
  fileName: string;
  refusal?: FileRefusal;
  planned?: PlannedImport;
  counts: Record<LineOutcome, number>;
}

/** The preview of a staged file: each line as new, changed, unchanged or refused (with the reason), or why the file cannot be read. */
export async function previewImport(db: Db, actor: Actor, importId: string): Promise<ImportPreview> {
  requireAdmin(actor);
  const staged = await getStagedImport(db, importId, actor.id);
  if (!staged) throw new NotFoundOrNoAccess();
  const read = readCsv(staged.kind, staged.content);
  const base = { id: staged.id, kind: staged.kind, fileName: staged.file_name };
  if (!read.ok) return { ...base, refusal: read.refusal, counts: { new: 0, changed: 0, unchanged: 0, refused: 0 } };
  const planned = await plan(db, staged.kind, read);
  return { ...base, planned, counts: countOutcomes(planned.lines) };
}

export interface ImportResult {
  kind: ImportKind;
  counts: Record<LineOutcome, number>;
  /** Enrolments only: lines that went to a waiting list because their run was full. */
  waiting: number;
}

/**
 * Imports a staged file in one transaction, planned again inside it (the database may have changed
 * since the preview). A file that cannot be read imports nothing; with refused lines, nothing is
 * imported unless `mode` is `valid` (the administrator chose to import the valid lines only). Writes
 * are set-based; history records every change with the administrator as actor and source `import`.
 */
export async function runImport(db: Db, actor: Actor, importId: string, mode: ImportMode, now: Date = new Date()): Promise<ImportResult> {
  requireAdmin(actor);
  const importer: Actor = { ...actor, source: 'import' };
  return db.transaction().execute(async (trx) => {
    const staged = await getStagedImport(trx, importId, actor.id);
    if (!staged) throw new NotFoundOrNoAccess();
    const read = readCsv(staged.kind, staged.content);
    if (!read.ok) throw new ImportRefused('file_problem', read.refusal);
    const planned = await plan(trx, staged.kind, read);
    const counts = countOutcomes(planned.lines);
    if (counts.refused > 0 && mode !== 'valid') throw new ImportRefused('refused_lines');
    if (counts.new + counts.changed === 0) throw new ImportRefused('nothing_to_import');
    const at = nowIso(now);
    let waiting = 0;
    if (planned.kind === 'users') await importUsers(trx, importer, planned.lines, at);
    else waiting = await importEnrolments(trx, importer, planned.lines, now);
    await deleteStagedImport(trx, staged.id);
    return { kind: staged.kind, counts, waiting };
  });
}

async function importUsers(trx: Db, actor: Actor, lines: readonly PlannedLine<UserLineValues>[], at: string): Promise<void> {
  const upserts: { id: string; email: string; name: string; created_at: string }[] = [];
  const roles: { user_id: string; role: Role }[] = [];
  const history: HistoryEntry[] = [];
  const entry = (userId: string, field: 'account' | 'role', oldValue: string | null, newValue: string | null, note: string | null): HistoryEntry => ({
    id: newId(),
    at,
    actor_id: actor.id,
    source: actor.source,
    user_id: userId,
    enrolment_id: null,
    run_id: null,
    meeting_id: null,
    field,
    old_value: oldValue,
    new_value: newValue,
    note,
  });
  for (const { outcome, values } of lines) {
    if (outcome === 'new') {
      const id = newId();
      upserts.push({ id, email: values.email, name: values.name, created_at: at });
      for (const role of values.roles) roles.push({ user_id: id, role });
      history.push(entry(id, 'account', null, values.email, 'created'), entry(id, 'role', null, values.roles.join(','), null));
    } else if (outcome === 'changed') {
      const id = values.userId!;
      if (values.nameBefore !== undefined) {
        upserts.push({ id: newId(), email: values.email, name: values.name, created_at: at });
        history.push(entry(id, 'account', values.nameBefore, values.name, 'name'));
      }
      for (const role of values.rolesAdded ?? []) roles.push({ user_id: id, role });
      if ((values.rolesAdded ?? []).length > 0) history.push(entry(id, 'role', null, values.rolesAdded!.join(','), 'added'));
    }
  }
  await upsertUsersByEmail(trx, upserts);
  await addRoles(trx, roles);
  await appendHistory(trx, history);
}

async function importEnrolments(trx: Db, actor: Actor, lines: readonly PlannedLine<EnrolmentLineValues>[], now: Date): Promise<number> {
  const byRun = new Map<string, string[]>();
  for (const { outcome, values } of lines) {
    if (outcome !== 'new') continue;
    const people = byRun.get(values.runId!);
    if (people) people.push(values.userId!);
    else byRun.set(values.runId!, [values.userId!]);
  }
  let waiting = 0;
  // Runs in a fixed order, so two imports touching the same runs lock them in the same order.
  for (const runId of [...byRun.keys()].sort()) {
    const outcome = await placeInRun(trx, actor, runId, byRun.get(runId)!, now);
    waiting += outcome.placements.filter((p) => p.placement === 'waiting').length;
  }
  return waiting;
}
