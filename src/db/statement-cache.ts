import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept, and the longest SQL kept (bulk inserts differ in length every time and are large). */
const MAX_STATEMENTS = 300;
const MAX_SQL_LENGTH = 8_000;

/**
 * The SQLite connection as Kysely sees it, keeping compiled statements: Kysely prepares every query
 * anew, and compiling one costs more than running a small query (bench B: `prepare` was 5 % of a
 * page's server time). The app runs a few dozen distinct statements; the least recently used goes
 * when the cache is full. Safe because Kysely runs one query at a time on the one connection.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      if (database.open) database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      // A multi-row insert (bulk.ts) differs with every number of rows: kept, it would push out the
      // few dozen statements that pages run again and again.
      if (sql.length > MAX_SQL_LENGTH || isMultiRowInsert(sql)) return database.prepare(sql);
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below: the Map's order is the recency order
      } else {
        statement = rowsBuiltHere(database.prepare(sql), sql);
        if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * A reading statement whose rows SQLite hands over as arrays, made into objects here. The driver
 * makes each row object by adding its columns one at a time, which cost more than running the query
 * (bench B: 25 enrolments with 19 columns took 170 µs as objects, 100 µs as arrays made into the same
 * objects here, 11 µs to count). The objects are the same: an own property per column name, in
 * column order, a later column of the same name winning.
 *
 * Only for statements without `*`: their column names follow from the SQL text alone, so a change of
 * the schema (after which SQLite prepares the statement anew) cannot change them under us.
 */
function rowsBuiltHere(statement: SQLite.Statement, sql: string): SqliteStatement {
  if (!statement.reader || sql.includes('*')) return statement;
  const names = statement.columns().map((c) => c.name);
  if (names.includes('__proto__')) return statement; // cannot be assigned as an own property
  statement.raw(true);
  const toObject = (row: unknown[]) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i += 1) out[names[i]!] = row[i];
    return out;
  };
  return {
    reader: true,
    all(parameters) {
      const rows = statement.all(parameters) as unknown[][];
      const out = new Array<unknown>(rows.length);
      for (let i = 0; i < rows.length; i += 1) out[i] = toObject(rows[i]!);
      return out;
    },
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const row of statement.iterate(parameters)) yield toObject(row as unknown[]);
    },
  };
}

/** An insert of several rows of values, as bulk.ts and Kysely write them: `values (…), (…)`. */
function isMultiRowInsert(sql: string): boolean {
  return /^insert\b/i.test(sql) && sql.includes('), (');
}
