import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { SQLITE_FILE, type Store } from '../db/index.ts';
import { migrationProvider } from '../db/migrations/index.ts';

/**
 * Backup and restore of the embedded SQLite database (docs/operations.md). PostgreSQL has its own
 * tools (pg_dump / pg_restore); these functions refuse it with a pointer to them.
 */

/** A backup or restore that was not done; the message says why and what to do. Nothing was changed. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

/** What to do instead, on PostgreSQL. */
export const POSTGRES_BACKUP =
  'Presentia runs on PostgreSQL here (DATABASE_URL is set). Back it up with PostgreSQL\'s own tools: ' +
  'pg_dump -Fc -f presentia.dump "$DATABASE_URL" (see docs/operations.md).';
export const POSTGRES_RESTORE =
  'Presentia runs on PostgreSQL here (DATABASE_URL is set). Restore it with PostgreSQL\'s own tools: ' +
  'pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" presentia.dump (see docs/operations.md).';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  milliseconds: number;
}

/**
 * Copies the open SQLite database to `file` with SQLite's online backup API, while the server keeps
 * reading and writing. The copy is taken in one step by default: one read snapshot of the database,
 * which in WAL mode blocks no writer and is never restarted by one (another process's write during a
 * step-wise copy restarts it). It is written beside `file`, switched to a self-contained rollback
 * journal, checked with `integrity_check`, and only then renamed onto `file`: a failed backup never
 * leaves a half-written file under the expected name.
 *
 * `pagesPerStep` copies in smaller steps instead, yielding to the event loop in between (for a large
 * database backed up from inside the server process, whose own writes SQLite carries into the copy).
 */
export async function backupSqlite(store: Store, file: string, options: { pagesPerStep?: number } = {}): Promise<BackupResult> {
  if (store.kind === 'postgres') throw new BackupRefused(POSTGRES_BACKUP);
  if (!store.sqlite) throw new BackupRefused('This store has no SQLite connection to back up.');
  const target = path.resolve(file);
  if (store.location !== ':memory:' && target === path.resolve(store.location)) {
    throw new BackupRefused(`Refusing to back up the database onto itself (${target}).`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  removeDatabaseFiles(partial);
  const started = performance.now();
  try {
    const step = options.pagesPerStep ?? 0x7fffffff;
    const progress = await store.sqlite.backup(partial, { progress: () => step });
    const problem = checkDatabase(partial, { selfContained: true });
    if (problem) throw new Error(`the copy failed its check: ${problem}`);
    fsyncFile(partial);
    fs.renameSync(partial, target);
    fsyncFile(path.dirname(target));
    return { file: target, bytes: fs.statSync(target).size, pages: progress.totalPages, milliseconds: Math.round(performance.now() - started) };
  } catch (error) {
    removeDatabaseFiles(partial);
    if (error instanceof BackupRefused) throw error;
    throw new Error(`Backup to ${target} failed: ${(error as Error).message}`, { cause: error });
  }
}

export interface RestoreResult {
  /** The database file now in place. */
  database: string;
  /** Where the database that was there before was kept, if there was one. */
  previous: string | null;
}

/**
 * Puts the SQLite backup `backupFile` in place as DATA_DIR's database. The backup is copied into
 * DATA_DIR first and checked there (`integrity_check`, a Presentia schema, no migration newer than
 * this version knows); only then is the current database, if any, moved aside as
 * `presentia.db.before-restore-<time>` and the copy renamed into its place. Refused, with nothing
 * changed, when the backup fails a check, when Presentia is configured for PostgreSQL, or while the
 * current database is open in another process (stop the server first).
 */
export async function restoreSqlite(
  backupFile: string,
  dataDir: string,
  options: { databaseUrl?: string | undefined; now?: Date } = {},
): Promise<RestoreResult> {
  if (options.databaseUrl) throw new BackupRefused(POSTGRES_RESTORE);
  const source = path.resolve(backupFile);
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new BackupRefused(`No backup file at ${source}.`);
  if (fs.existsSync(`${source}-wal`) && fs.statSync(`${source}-wal`).size > 0) {
    throw new BackupRefused(
      `${source} has a write-ahead log beside it (${source}-wal): it is a live database file, not a backup. ` +
        'Make backups with the backup command, or open and close the file once so SQLite folds the log in.',
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const target = path.resolve(dataDir, SQLITE_FILE);
  if (source === target) throw new BackupRefused(`${source} is the database itself, not a backup of it.`);

  const staging = `${target}.restoring-${process.pid}`;
  removeDatabaseFiles(staging);
  try {
    fs.copyFileSync(source, staging);
    const migrations = Object.keys(await migrationProvider.getMigrations());
    const problem = checkDatabase(staging, { selfContained: true, knownMigrations: migrations });
    if (problem) throw new BackupRefused(`${source} is not a usable Presentia backup: ${problem}. Nothing was changed.`);
    fsyncFile(staging);

    const previous = fs.existsSync(target) ? setAside(target, options.now ?? new Date()) : null;
    fs.renameSync(staging, target);
    fsyncFile(path.dirname(target));
    return { database: target, previous };
  } finally {
    removeDatabaseFiles(staging);
  }
}

/**
 * Moves the current database out of the way, refusing while another process has it open. Switching
 * it out of WAL mode needs every other connection closed: SQLite answers "busy" (or stays in WAL)
 * while the server runs. The switch also folds the log into the file, so what is kept is one file.
 */
function setAside(target: string, now: Date): string {
  let inUse = false;
  try {
    const current = new SQLite(target, { fileMustExist: true, timeout: 0 });
    try {
      const mode = current.pragma('journal_mode = DELETE', { simple: true });
      inUse = String(mode).toLowerCase() === 'wal';
    } finally {
      current.close();
    }
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) inUse = true;
    // Anything else (a damaged database, which is why one restores): it is moved aside as it is.
  }
  if (inUse) {
    throw new BackupRefused(`The database ${target} is in use by another process. Stop Presentia, then restore. Nothing was changed.`);
  }
  const aside = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(target, aside);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, aside + suffix);
  }
  return aside;
}

/**
 * Opens a database file on its own and says what is wrong with it, or null when it is sound: SQLite's
 * `integrity_check`, then the Presentia tables and migrations. With `selfContained`, it is also
 * switched to a rollback journal so the single file holds everything.
 */
function checkDatabase(file: string, options: { selfContained?: boolean; knownMigrations?: readonly string[] }): string | null {
  let database: SQLite.Database;
  try {
    database = new SQLite(file, { fileMustExist: true });
  } catch (error) {
    return `it cannot be opened (${(error as Error).message})`;
  }
  try {
    if (options.selfContained) database.pragma('journal_mode = DELETE');
    const results = database.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    const messages = results.map((r) => r.integrity_check);
    if (messages.length !== 1 || messages[0] !== 'ok') return `SQLite's integrity check reports: ${messages.slice(0, 5).join('; ')}`;
    const tables = new Set(
      // `history` is a view since migration 0210, a table before it.
      (database.prepare("select name from sqlite_master where type in ('table', 'view')").all() as { name: string }[]).map((r) => r.name),
    );
    const missing = ['kysely_migration', 'users', 'runs', 'enrolments', 'attendance', 'history'].filter((t) => !tables.has(t));
    if (missing.length > 0) return `it is not a Presentia database (no table ${missing.join(', ')})`;
    if (options.knownMigrations) {
      const applied = (database.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
      const unknown = applied.filter((m) => !options.knownMigrations!.includes(m));
      if (unknown.length > 0) return `it was made by a newer version of Presentia (migration ${unknown.join(', ')}); upgrade first`;
    }
    return null;
  } catch (error) {
    // e.g. SQLITE_NOTADB "file is not a database", SQLITE_CORRUPT
    return `SQLite cannot read it (${(error as Error).message})`;
  } finally {
    database.close();
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

function fsyncFile(file: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be fsync'ed on every platform; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
