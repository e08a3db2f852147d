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
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      if (database.open) database.close();
    },
    prepare: (sql: string): SqliteStatement => {
      if (sql.length > MAX_SQL_LENGTH) return database.prepare(sql);
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below: the Map's order is the recency order
      } else {
        statement = database.prepare(sql);
        if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
