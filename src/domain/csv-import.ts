import type { Role } from '../db/schema.ts';

/*
 * The rules of the CSV imports (issue 9 item 6), pure: which column is which, and what each line of
 * a users or enrolments file would do: new, changed, unchanged or refused (with the reason). The
 * service reads the file (csv-parse) and the database, and writes what these plans say.
 */

export type ImportKind = 'users' | 'enrolments';
export type LineOutcome = 'new' | 'changed' | 'unchanged' | 'refused';

/** Why a line is refused (i18n keys under `csvImport.reasons`). */
export type LineReason =
  | 'invalid_email'
  | 'name_required'
  | 'name_too_long'
  | 'unknown_role'
  | 'duplicate_in_file'
  | 'unknown_person'
  | 'inactive_person'
  | 'unknown_run'
  | 'run_cancelled'
  | 'missing_value';

/** Why a whole file is refused (i18n keys under `csvImport.fileProblems`). */
export type FileProblem = 'malformed' | 'empty' | 'missing_columns' | 'too_many_lines';

/** Lines a file may hold (beyond the header). */
export const MAX_IMPORT_LINES = 100_000;
export const MAX_NAME_LENGTH = 200;

type Column = 'email' | 'name' | 'roles' | 'run';

/** Header names as spreadsheets in Flanders and elsewhere write them, compared without case, accents, spaces or dashes. */
const HEADER_NAMES: Record<string, Column> = {
  email: 'email',
  emailadres: 'email',
  mail: 'email',
  naam: 'name',
  name: 'name',
  volledigenaam: 'name',
  fullname: 'name',
  rollen: 'roles',
  rol: 'roles',
  roles: 'roles',
  role: 'roles',
  uitvoering: 'run',
  uitvoeringscode: 'run',
  run: 'run',
  runcode: 'run',
  code: 'run',
};

export const REQUIRED_COLUMNS: Record<ImportKind, readonly Column[]> = {
  users: ['email', 'name'],
  enrolments: ['email', 'run'],
};

function headerKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/** Which column index holds which field, or the required columns that are missing. */
export function mapColumns(kind: ImportKind, header: readonly string[]): { ok: true; columns: Partial<Record<Column, number>> } | { ok: false; missing: Column[] } {
  const columns: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    const column = HEADER_NAMES[headerKey(h)];
    if (column && columns[column] === undefined) columns[column] = i;
  });
  const missing = REQUIRED_COLUMNS[kind].filter((c) => columns[c] === undefined);
  return missing.length > 0 ? { ok: false, missing } : { ok: true, columns };
}

/**
 * The delimiter of a spreadsheet's CSV: a semicolon (Excel in a Belgian locale) or a comma,
 * whichever occurs more often in the header line outside quotes.
 */
export function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text.slice(0, 4096)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semicolons += 1;
    else if (!quoted && ch === ',') commas += 1;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : commas > 0 ? ',' : ';';
}

const ROLE_NAMES: Record<string, Role> = {
  participant: 'participant',
  deelnemer: 'participant',
  teacher: 'teacher',
  docent: 'teacher',
  admin: 'admin',
  administrator: 'admin',
  beheerder: 'admin',
};

/** Roles in a cell ("docent, deelnemer", "teacher|participant"); undefined when one is unknown. */
export function parseRoles(cell: string): Role[] | undefined {
  const names = cell
    .split(/[,|/+\s]+/)
    .map((r) => r.trim().toLowerCase())
    .filter((r) => r !== '');
  const roles: Role[] = [];
  for (const name of names) {
    const role = ROLE_NAMES[name];
    if (!role) return undefined;
    if (!roles.includes(role)) roles.push(role);
  }
  return (['participant', 'teacher', 'admin'] as const).filter((r) => roles.includes(r));
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
// Control characters in a name would garble certificates, CSV exports and terminal output.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

export function normaliseEmail(cell: string): string | undefined {
  const email = cell.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

/** One line of a file as read: its line number in the file and its cells. */
export interface SourceLine {
  line: number;
  cells: readonly string[];
}

export interface PlannedLine<V> {
  line: number;
  outcome: LineOutcome;
  reason?: LineReason;
  /** The line's values as understood (for the preview and the import). */
  values: V;
}

// ------------------------------------------------------------------ users

export interface UserLineValues {
  email: string;
  name: string;
  /** Roles the line gives; for an existing user these are added, never taken away. */
  roles: Role[];
  /** The existing user's id, for a changed or unchanged line. */
  userId?: string;
  /** What changes for an existing user. */
  nameBefore?: string;
  rolesAdded?: Role[];
}

export interface ExistingUser {
  id: string;
  name: string;
  roles: readonly Role[];
}

/**
 * What each line of a users file does: a new e-mail address is a new account (roles default to
 * participant); a known one is changed when the name differs or roles are added (an import never
 * takes a role away, so it cannot remove the last administrator), and otherwise unchanged.
 */
export function planUserLines(lines: readonly SourceLine[], columns: Partial<Record<Column, number>>, existing: ReadonlyMap<string, ExistingUser>): PlannedLine<UserLineValues>[] {
  const seen = new Set<string>();
  return lines.map(({ line, cells }) => {
    const cell = (c: Column) => (columns[c] === undefined ? '' : (cells[columns[c]!] ?? '').trim());
    const rawEmail = cell('email');
    const name = cell('name').replace(CONTROL_CHARACTERS, ' ').trim();
    const roles = parseRoles(cell('roles'));
    const values: UserLineValues = { email: rawEmail, name, roles: roles ?? [] };
    const refuse = (reason: LineReason): PlannedLine<UserLineValues> => ({ line, outcome: 'refused', reason, values });
    const email = normaliseEmail(rawEmail);
    if (!email) return refuse(rawEmail === '' ? 'missing_value' : 'invalid_email');
    values.email = email;
    if (name === '') return refuse('name_required');
    if ([...name].length > MAX_NAME_LENGTH) return refuse('name_too_long');
    if (!roles) return refuse('unknown_role');
    if (seen.has(email)) return refuse('duplicate_in_file');
    seen.add(email);
    const user = existing.get(email);
    if (!user) {
      values.roles = roles.length > 0 ? roles : ['participant'];
      return { line, outcome: 'new', values };
    }
    values.userId = user.id;
    const added = roles.filter((r) => !user.roles.includes(r));
    const renamed = user.name !== name;
    if (!renamed && added.length === 0) return { line, outcome: 'unchanged', values };
    if (renamed) values.nameBefore = user.name;
    values.rolesAdded = added;
    return { line, outcome: 'changed', values };
  });
}

// ------------------------------------------------------------------ enrolments

export interface EnrolmentLineValues {
  email: string;
  run: string;
  userId?: string;
  runId?: string;
}

export interface KnownPerson {
  id: string;
  active: boolean;
}

export interface KnownRun {
  id: string;
  cancelled: boolean;
}

/**
 * What each line of an enrolments file does: a known, active person in a known run that is not
 * cancelled is new (enrolled, or on the waiting list when the run is full: decided at import, under
 * the run's lock), or unchanged when they already take part or wait.
 */
export function planEnrolmentLines(
  lines: readonly SourceLine[],
  columns: Partial<Record<Column, number>>,
  people: ReadonlyMap<string, KnownPerson>,
  runs: ReadonlyMap<string, KnownRun>,
  /** `runId userId` of everyone taking part in or waiting for a run of the file. */
  present: ReadonlySet<string>,
): PlannedLine<EnrolmentLineValues>[] {
  const seen = new Set<string>();
  return lines.map(({ line, cells }) => {
    const cell = (c: Column) => (columns[c] === undefined ? '' : (cells[columns[c]!] ?? '').trim());
    const rawEmail = cell('email');
    const runCode = cell('run');
    const values: EnrolmentLineValues = { email: rawEmail, run: runCode };
    const refuse = (reason: LineReason): PlannedLine<EnrolmentLineValues> => ({ line, outcome: 'refused', reason, values });
    if (rawEmail === '' || runCode === '') return refuse('missing_value');
    const email = normaliseEmail(rawEmail);
    if (!email) return refuse('invalid_email');
    values.email = email;
    const person = people.get(email);
    if (!person) return refuse('unknown_person');
    if (!person.active) return refuse('inactive_person');
    const run = runs.get(runCode);
    if (!run) return refuse('unknown_run');
    if (run.cancelled) return refuse('run_cancelled');
    values.userId = person.id;
    values.runId = run.id;
    const key = `${run.id} ${person.id}`;
    if (seen.has(key)) return refuse('duplicate_in_file');
    seen.add(key);
    return { line, outcome: present.has(key) ? 'unchanged' : 'new', values };
  });
}

/** Lines per outcome. */
export function countOutcomes(lines: readonly { outcome: LineOutcome }[]): Record<LineOutcome, number> {
  const counts: Record<LineOutcome, number> = { new: 0, changed: 0, unchanged: 0, refused: 0 };
  for (const l of lines) counts[l.outcome] += 1;
  return counts;
}
