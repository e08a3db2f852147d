import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from './index.ts';
import type { Database } from './schema.ts';

/** Whether `db` talks to PostgreSQL (for the few statements written differently for each database). */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A job's name as the 64-bit key of a PostgreSQL advisory lock (as decimal text, bound and cast). */
export function advisoryKey(job: string): string {
  return createHash('sha256').update(`presentia:${job}`).digest().readBigInt64BE(0).toString();
}

export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

/**
 * Runs `work` in one transaction that no other server runs at the same time under the same `job`
 * name. On PostgreSQL, where several app servers may share the database, the transaction first tries
 * a transaction-scoped advisory lock: if another server holds it, `work` is not run at all (`ran:
 * false`) and the lock ends with that server's transaction. On SQLite every write transaction begins
 * IMMEDIATE and so already runs alone: a second process waits its turn and then runs `work` on what
 * the first left, which an idempotent job turns into no change. Inside an open transaction (`db` is
 * one) the work joins it.
 */
export async function runExclusively<T>(db: Kysely<Database>, job: string, work: (trx: Db) => Promise<T>): Promise<ExclusiveOutcome<T>> {
  const attempt = async (trx: Db): Promise<ExclusiveOutcome<T>> => {
    if (isPostgres(trx)) {
      const lock = await sql<{ got: boolean }>`select pg_try_advisory_xact_lock(${advisoryKey(job)}::bigint) as got`.execute(trx);
      if (!lock.rows[0]?.got) return { ran: false };
    }
    return { ran: true, value: await work(trx) };
  };
  return db.isTransaction ? attempt(db) : db.transaction().execute(attempt);
}

/**
 * The calendar date (`YYYY-MM-DD`) `days` days after the date that `date` starts with (a date or an
 * ISO instant), as SQL for either database. Null when either is null.
 */
export function addDaysSql(db: Db, date: RawBuilder<unknown> | ReturnType<typeof sql.ref>, days: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<string | null> {
  return isPostgres(db)
    ? sql<string | null>`to_char(cast(substr(${date}, 1, 10) as date) + cast(${days} as integer), 'YYYY-MM-DD')`
    : sql<string | null>`date(substr(${date}, 1, 10), '+' || ${days} || ' days')`;
}

/**
 * Ids for the rows of one insert-select, made in SQL on either database: `prefix` (the first 16
 * characters of a fresh ULID) and the row's number, 10 digits. Each is a ULID of this instant,
 * unique, and all of them lie in one range (`numberedIdRange`), which marks the rows of that statement.
 * `offset` continues the numbers of an earlier statement with the same prefix.
 */
export function numberedIdSql(prefix: string, orderBy: RawBuilder<unknown>, offset = 0): RawBuilder<string> {
  const rowNumber = sql<string>`cast(row_number() over (order by ${orderBy}) + ${sql.lit(Math.trunc(offset))} as text)`;
  return sql<string>`cast(${prefix} as text) || substr('0000000000' || ${rowNumber}, length(${rowNumber}) + 1)`;
}

/** The first and last id `numberedIdSql` can make with `prefix`. */
export function numberedIdRange(prefix: string): { first: string; last: string } {
  return { first: `${prefix}0000000000`, last: `${prefix}9999999999` };
}
