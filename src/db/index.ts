import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createRequire } from 'node:module';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import { monotonicFactory } from 'ulid';
import type { Database } from './schema.ts';
import { migrationProvider } from './migrations/index.ts';
import { DropRowLocksPlugin } from './row-locks.ts';
import { withStatementCache } from './statement-cache.ts';
import { useNamedStatements } from './named-statements.ts';
import { StripNulPlugin } from './strip-nul.ts';

export type { Database } from './schema.ts';

/** A connection or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** For SQLite, the file (or ':memory:'); for PostgreSQL, the URL without its password. */
  location: string;
  /** SQLite only: the native connection Kysely uses, for what Kysely cannot do (the online backup). */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

let postgresDriver: typeof import('pg') | undefined;

/**
 * The PostgreSQL driver, loaded by the first PostgreSQL store: an installation on the embedded
 * database never reads its modules (start-up, bench G).
 */
function pgDriver(): typeof import('pg') {
  if (!postgresDriver) {
    postgresDriver = createRequire(import.meta.url)('pg') as typeof import('pg');
    // PostgreSQL returns `bigint` (count(*)) and `numeric` as strings; the only bigints we produce are counts.
    postgresDriver.types.setTypeParser(postgresDriver.types.builtins.INT8, (v) => Number(v));
    postgresDriver.types.setTypeParser(postgresDriver.types.builtins.NUMERIC, (v) => Number(v));
  }
  return postgresDriver;
}

/*
 * SQLite transactions start with BEGIN IMMEDIATE, taking the write lock at once. A save reads (the
 * versions of R11, the recorded attendance) before it writes; begun DEFERRED, a save in one process
 * whose read snapshot is overtaken by another process's commit could not upgrade to a writer and
 * would fail at once (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not wait out). IMMEDIATE makes
 * writers from several processes (a backup, the CLI, a second server) wait their turn instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** How much of the SQLite file is read through a memory mapping (SQLite caps it at its compile-time maximum). */
const SQLITE_MMAP_BYTES = 2 ** 31;

/** Opens the embedded SQLite database in `file` (WAL, foreign keys on, transactions IMMEDIATE). */
export function openSqlite(file: string): Store {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB): a large save or the nightly sweep touches the pages
  // of every index of history and enrolments, and spilling them mid-transaction costs more than memory.
  database.pragma('cache_size = -65536');
  // Reads come straight from the file mapped into memory (up to SQLITE_MAX_MMAP_SIZE, 2 GiB in this
  // build) instead of a system call and a copy per page: bench A ~25% and D ~10% faster on the large
  // data (docs/performance.md). Writes still go through the WAL as before.
  database.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }), plugins: [new StripNulPlugin(), new DropRowLocksPlugin()] });
  const close = async () => {
    await db.destroy();
    // Kysely closes the connection only if it ever used it; a store used only through `sqlite` (a
    // backup) would otherwise stay open and keep its locks.
    if (database.open) database.close();
  };
  return { db, kind: 'sqlite', location: file, sqlite: database, close };
}

/** Opens a pool on the PostgreSQL database named by `url`. */
export function openPostgres(url: string, poolSize = 10): Store {
  const pool = new (pgDriver().Pool)({ connectionString: url, max: poolSize });
  // An idle connection that the server ends (restart, failover, idle timeout, pg_terminate_backend)
  // is reported on the pool; without a listener Node treats it as fatal and the whole app exits.
  // The pool has already dropped that connection and opens a new one when next needed.
  pool.on('error', (error) => process.emitWarning(`PostgreSQL closed an idle connection: ${error.message}`, 'PresentiaDatabase'));
  pool.on('connect', useNamedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new StripNulPlugin()] });
  return { db, kind: 'postgres', location: url.replace(/:[^:@/]*@/, ':***@'), close: () => db.destroy() };
}

/** The embedded database's file name inside DATA_DIR. */
export const SQLITE_FILE = 'presentia.db';

/** PostgreSQL when a URL is given, otherwise the SQLite file `presentia.db` in `dataDir`. */
export function openStore(options: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Store {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize)
    : openSqlite(path.join(options.dataDir, SQLITE_FILE));
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  if (await isUpToDate(db)) return [];
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = String((error as Error)?.message ?? error);
    throw new Error(failed ? `Migration ${failed.migrationName} failed: ${reason}` : `Could not migrate the database: ${reason}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * Whether every migration this code knows, and no other, is recorded as applied: what nearly every
 * start finds, told by one query. Kysely's migrator first reads the whole catalogue to see whether
 * its tables exist (25 ms on SQLite, 65 ms on PostgreSQL at a start; bench G); it runs whenever this
 * answers no, a new database (no table yet) included.
 */
async function isUpToDate(db: Kysely<Database>): Promise<boolean> {
  const known = Object.keys(await migrationProvider.getMigrations());
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/**
 * The random part of a new key from the system's secure generator, drawn a few thousand bytes at a
 * time: the library draws one byte per call of Web Crypto, whose checks cost more than the byte
 * (5 ms of the 30 ms planning a 500 × 20 save, which makes a thousand keys).
 */
const randomBytes = new Uint8Array(4096);
let randomUsed = randomBytes.length;
const ulid = monotonicFactory(() => {
  if (randomUsed === randomBytes.length) {
    crypto.getRandomValues(randomBytes);
    randomUsed = 0;
  }
  return randomBytes[randomUsed++]! / 256;
});

/** A new application-made key: a ULID, which sorts by creation time. */
export function newId(): string {
  return ulid();
}

/** The current instant as stored: ISO-8601 UTC text. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** Rows per multi-row statement: well under both databases' bound-parameter limits. */
export const BATCH_PARAMETERS = 30000;

/** Splits rows into batches that keep `columns × rows` under the parameter limit. */
export function batches<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(BATCH_PARAMETERS / Math.max(1, columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
