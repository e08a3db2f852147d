import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Db } from './index.ts';
import { withoutNul } from './strip-nul.ts';

/*
 * Multi-row INSERTs written as SQL text with their parameters, past Kysely's query builder. The
 * builder turns every value into a node, then copies and compiles the tree: for the Doorgaan save of
 * 500 × 20 (10,000 attendance and ~19,000 history rows, a quarter of a million values) that cost a
 * quarter of the save's time (bench C in docs/performance.md: 330 → 250 ms on SQLite).
 *
 * On PostgreSQL the rows go as one array per column, `insert … select * from unnest($1::text[], …)`:
 * one statement of a dozen parameters whatever the number of rows. A multi-row VALUES list of 30,000
 * parameters is parsed, analysed and planned value by value, and took longer to prepare than to run.
 * On SQLite, which has no arrays, multi-row VALUES remain (better-sqlite3 binds in-process).
 *
 * The statements themselves do not pass Kysely's plugins, so this module does itself what the
 * plugins would: it strips NUL from strings (see strip-nul.ts). Identifiers come from the callers'
 * constants, never from input.
 */

/** Bound values per statement (as `batches` in index.ts): few, large statements. */
const PARAMETERS_PER_STATEMENT = 30_000;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts `rows` into `table`, one value per column of `columns` (a missing value is NULL), in as few
 * statements (on SQLite 30,000 values at most each; on PostgreSQL 50,000 rows each). `conflict` is an
 * optional `on conflict …` clause, the same on both. Returns the number of rows inserted or updated.
 */
export async function insertRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly object[],
  conflict = '',
): Promise<number> {
  if (rows.length === 0) return 0;
  // Kysely's plugins are shown each statement as a one-row insert into the same table, so whatever
  // follows statements through them (the tests' counts, the crash trials) still sees every one. Its
  // rewrites would not apply to the real statement; the only rewriting plugins (NUL, row locks)
  // need none here. Its SQL also tells which placeholders, so which database, it is.
  if (show(db, table, rows[0]!).sql.includes('$1')) return insertArrays(db, table, columns, rows, conflict);
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / columns.length));
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  const tail = conflict ? ` ${conflict}` : '';
  let written = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    if (start > 0) show(db, table, batch[0]!);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      for (const column of columns) parameters.push(bindable((row as Record<string, unknown>)[column]));
      tuples.push(`(${columns.map(() => '?').join(', ')})`);
    }
    written += affected(await db.executeQuery(CompiledQuery.raw(`${head}${tuples.join(', ')}${tail}`, parameters)));
  }
  return written;
}

/** Rows a statement inserted or updated (an `on conflict … do update … where` that skips a row does not count it). */
function affected(result: QueryResult<unknown>): number {
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * A value as bound, the same on both databases: undefined is NULL, strings lose their NUL characters,
 * booleans are 1 or 0 and instants ISO-8601 UTC text, as everything else stores them.
 */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'string') return withoutNul(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/** Rows per array statement: bounds the size of one message, not the number of parameters. */
const ROWS_PER_ARRAY_STATEMENT = 50_000;

/** PostgreSQL: every column as one typed array, unnested into rows. */
async function insertArrays(db: Db, table: string, columns: readonly string[], rows: readonly object[], conflict: string): Promise<number> {
  const types = await columnTypes(db, table);
  const arrays = columns.map((column, i) => {
    const type = types.get(column);
    if (!type) throw new Error(`insertRows: table ${table} has no column ${column}`);
    return `$${i + 1}::${type}[]`;
  });
  const text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) select * from unnest(${arrays.join(', ')})${conflict ? ` ${conflict}` : ''}`;
  let written = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_ARRAY_STATEMENT) {
    const batch = rows.slice(start, start + ROWS_PER_ARRAY_STATEMENT);
    if (start > 0) show(db, table, batch[0]!);
    const parameters = columns.map((column) => batch.map((row) => bindable((row as Record<string, unknown>)[column])));
    written += affected(await db.executeQuery(CompiledQuery.raw(text, parameters)));
  }
  return written;
}

/** Shows the plugins one statement, as a one-row insert of `row` (see `insertRows`). */
function show(db: Db, table: string, row: object) {
  return (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
    .insertInto(table)
    .values(row as Record<string, unknown>)
    .compile();
}

/**
 * Column types by table, read once per process from the catalogue (the casts of the arrays must name
 * them: PostgreSQL casts no text to numbers on insert). Every database here has the same schema, made
 * by the same migrations, so the table's name is the key.
 */
const typesByTable = new Map<string, Promise<Map<string, string>>>();

function columnTypes(db: Db, table: string): Promise<Map<string, string>> {
  let types = typesByTable.get(table);
  if (!types) {
    types = db
      .executeQuery<{ name: string; type: string }>(
        CompiledQuery.raw(
          `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
           where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
          [quote(table)],
        ),
      )
      .then((result) => new Map(result.rows.map((r) => [r.name, r.type])));
    typesByTable.set(table, types);
    types.catch(() => typesByTable.delete(table));
  }
  return types;
}
