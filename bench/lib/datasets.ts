/**
 * Finds or builds the benchmark database of a size: an SQLite file under bench/data/, or a PostgreSQL
 * database `presentia_bench_<size>`. The schema always comes from the app's own migrations; the
 * generator only fills it. A dataset is reused while its stored fingerprint (generator version, shape)
 * matches; after reuse the app's newer migrations (new indexes, say) are applied on top, as they
 * would be in a deployed installation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openPostgres, type Database } from '../../src/db/index.ts';
import { expectedCounts, fingerprint, type DbKind, type Shape } from './dataset.ts';
import { generationSteps, type Step } from './generate.ts';
import { postgresDialect, sqliteDialect } from './sql.ts';

export const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const dataDir = path.join(benchDir, 'data');

/** Tables the generator fills; their secondary indexes are dropped during the load and rebuilt after. */
const LOADED_TABLES = ['users', 'user_roles', 'courses', 'runs', 'run_teachers', 'meetings', 'enrolments', 'attendance', 'certificates', 'history'];

export interface Dataset {
  db: DbKind;
  shape: Shape;
  /** Folder given to the server as DATA_DIR (for SQLite it holds presentia.db). */
  dataDir: string;
  sqliteFile?: string;
  postgresUrl?: string;
  reused: boolean;
  /** Seconds the generation took (undefined when reused). */
  generatedSeconds?: number;
  steps?: { name: string; seconds: number }[];
  counts: Record<string, number>;
}

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

async function timed<T>(name: string, out: { name: string; seconds: number }[], work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  out.push({ name, seconds });
  log(`  ${name}: ${seconds.toFixed(1)} s`);
  return result;
}

// ---------------------------------------------------------------- SQLite

export async function ensureSqlite(shape: Shape, options: { regenerate: boolean }): Promise<Dataset> {
  const folder = path.join(dataDir, `sqlite-${shape.size}`);
  const file = path.join(folder, 'presentia.db');
  const stamp = path.join(folder, 'fingerprint.json');
  const wanted = fingerprint('sqlite', shape);
  const base = { db: 'sqlite' as const, shape, dataDir: folder, sqliteFile: file };

  if (!options.regenerate && fs.existsSync(file) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
    log(`reusing ${path.relative(process.cwd(), file)}`);
    return { ...base, reused: true, counts: await sqliteCounts(file) };
  }

  log(`generating SQLite ${shape.size} dataset in ${path.relative(process.cwd(), file)}`);
  fs.mkdirSync(folder, { recursive: true });
  for (const f of [file, `${file}-wal`, `${file}-shm`, stamp]) fs.rmSync(f, { force: true });
  const steps: { name: string; seconds: number }[] = [];
  const started = performance.now();

  const database = new SQLite(file);
  // A throw-away file: no journal, no syncing, a big cache, foreign keys checked by construction.
  database.pragma('journal_mode = OFF');
  database.pragma('synchronous = OFF');
  database.pragma('foreign_keys = OFF');
  database.pragma('cache_size = -1000000');
  database.pragma('temp_store = MEMORY');
  database.pragma('locking_mode = EXCLUSIVE');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await timed('migrations', steps, () => migrateToLatest(db));

  // On SQLite history is a view of two tables (migration 0210): their indexes are the ones to drop.
  const indexed = LOADED_TABLES.flatMap((t) => (t === 'history' ? ['history_main', 'history_system'] : [t]));
  const indexes = database
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${indexed.map(() => '?').join(', ')})`)
    .all(...indexed) as { name: string; sql: string }[];
  database.exec('BEGIN');
  for (const index of indexes) database.exec(`DROP INDEX ${index.name}`);
  for (const step of generationSteps(sqliteDialect, shape)) await timed(step.name, steps, () => database.exec(step.sql));
  database.exec('COMMIT');
  await timed(`rebuild ${indexes.length} indexes`, steps, () => {
    database.exec('BEGIN');
    for (const index of indexes) database.exec(index.sql);
    database.exec('COMMIT');
  });
  // The small set (what CI builds) proves the generator's keys consistent; on the large one the same
  // check would take a third of the build.
  if (shape.size === 'small') {
    const fkProblems = await timed('foreign key check', steps, () => database.prepare('PRAGMA foreign_key_check').all());
    if (fkProblems.length > 0) throw new Error(`generated data breaks foreign keys: ${JSON.stringify(fkProblems.slice(0, 5))}`);
  }
  database.pragma('locking_mode = NORMAL');
  database.pragma('journal_mode = WAL');
  await db.destroy();

  const generatedSeconds = (performance.now() - started) / 1000;
  fs.writeFileSync(stamp, wanted);
  log(`generated in ${generatedSeconds.toFixed(1)} s`);
  return { ...base, reused: false, generatedSeconds, steps, counts: await sqliteCounts(file) };
}

async function sqliteCounts(file: string): Promise<Record<string, number>> {
  const database = new SQLite(file, { readonly: true });
  try {
    const counts: Record<string, number> = {};
    for (const table of LOADED_TABLES) counts[table] = (database.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return counts;
  } finally {
    database.close();
  }
}

// ---------------------------------------------------------------- PostgreSQL

export function postgresAdminUrl(): string {
  return process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function ensurePostgres(shape: Shape, options: { regenerate: boolean }): Promise<Dataset> {
  const adminUrl = postgresAdminUrl();
  const name = `presentia_bench_${shape.size}`;
  const url = databaseUrl(adminUrl, name);
  const folder = path.join(dataDir, `postgres-${shape.size}`);
  fs.mkdirSync(folder, { recursive: true });
  const wanted = fingerprint('postgres', shape);
  const base = { db: 'postgres' as const, shape, dataDir: folder, postgresUrl: url };

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [name],
    );
    if (!options.regenerate && found.rows[0]?.comment === wanted) {
      log(`reusing PostgreSQL database ${name}`);
      return { ...base, reused: true, counts: await postgresCounts(url) };
    }
    log(`generating PostgreSQL ${shape.size} dataset in database ${name}`);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }

  const steps: { name: string; seconds: number }[] = [];
  const started = performance.now();
  const store = openPostgres(url, 2);
  await timed('migrations', steps, () => migrateToLatest(store.db));
  await store.close();

  // Two connections load side by side (the machine has two cores); each skips foreign-key triggers
  // (session_replication_role = replica: the generator's keys are consistent by construction).
  const lanes = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  for (const lane of lanes) {
    await lane.connect();
    await lane.query(`SET synchronous_commit = off`);
    await lane.query(`SET maintenance_work_mem = '512MB'`);
    await lane.query(`SET session_replication_role = replica`);
  }
  try {
    const indexes = (
      await lanes[0]!.query<{ name: string; sql: string }>(
        // The loaded tables' indexes and those of their partitions (history's on PostgreSQL), except
        // a partition's index that belongs to one of the table's (dropped and rebuilt with it).
        `SELECT indexname AS name, indexdef AS sql FROM pg_indexes
         WHERE schemaname = 'public'
           AND (tablename = ANY($1) OR tablename IN (
             SELECT part.relname FROM pg_inherits JOIN pg_class part ON part.oid = inhrelid JOIN pg_class parent ON parent.oid = inhparent
             WHERE parent.relname = ANY($1)))
           AND indexname NOT IN (SELECT conname FROM pg_constraint)
           AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = format('%I.%I', schemaname, indexname)::regclass)`,
        [LOADED_TABLES],
      )
    ).rows;
    for (const index of indexes) await lanes[0]!.query(`DROP INDEX ${index.name}`);

    await runInLanes(lanes, generationSteps(postgresDialect, shape), steps);
    await runInLanes(
      lanes,
      // An index of a partitioned table (history on PostgreSQL) is listed `ON ONLY` the parent, which
      // would create it without its partitions' indexes: rebuilt on the parent, it builds them too.
      indexes.map((index) => ({ name: `index ${index.name}`, table: index.name, sql: index.sql.replace(' ON ONLY ', ' ON ') })),
      steps,
    );
    await timed('vacuum analyze', steps, () =>
      Promise.all(
        lanes.map(async (lane, i) => {
          for (const table of LOADED_TABLES.filter((_, j) => j % 2 === i)) await lane.query(`VACUUM (ANALYZE) ${table}`);
        }),
      ),
    );
    await lanes[0]!.query(`COMMENT ON DATABASE ${name} IS '${wanted.replace(/'/g, "''")}'`);
  } finally {
    for (const lane of lanes) await lane.end();
  }
  const generatedSeconds = (performance.now() - started) / 1000;
  log(`generated in ${generatedSeconds.toFixed(1)} s`);
  return { ...base, reused: false, generatedSeconds, steps, counts: await postgresCounts(url) };
}

/**
 * Runs steps on two connections: steps on the same table stay in order on one lane; the biggest
 * tables (attendance, history) go to different lanes.
 */
async function runInLanes(lanes: pg.Client[], steps: Step[], out: { name: string; seconds: number }[]) {
  const byTable = new Map<string, Step[]>();
  for (const step of steps) byTable.set(step.table, [...(byTable.get(step.table) ?? []), step]);
  // Longest queue first onto the least-loaded lane (by statement text length as a rough weight).
  const weight = (s: Step[]) => s.length + (s[0]?.table === 'history' ? 100 : s[0]?.table === 'attendance' ? 80 : s[0]?.table === 'enrolments' ? 20 : 0);
  const queues = [...byTable.values()].sort((a, b) => weight(b) - weight(a));
  // Foreign keys are off, but keep parents before children within the lane order for readability.
  const laneQueues: Step[][] = [[], []];
  const load = [0, 0];
  for (const q of queues) {
    const i = load[0]! <= load[1]! ? 0 : 1;
    laneQueues[i]!.push(...q);
    load[i]! += weight(q);
  }
  await Promise.all(
    lanes.map(async (lane, i) => {
      for (const step of laneQueues[i]!) await timed(step.name, out, () => lane.query(step.sql));
    }),
  );
}

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of LOADED_TABLES) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    return counts;
  } finally {
    await client.end();
  }
}

export function ensureDataset(db: DbKind, shape: Shape, options: { regenerate: boolean }): Promise<Dataset> {
  return db === 'sqlite' ? ensureSqlite(shape, options) : ensurePostgres(shape, options);
}

export { expectedCounts };
