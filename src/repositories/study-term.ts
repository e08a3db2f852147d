import { sql, type ExpressionBuilder } from 'kysely';
import { addDaysSql, isPostgres, numberedIdRange, numberedIdSql } from '../db/exclusive.ts';
import type { Database, Db } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';

/** An enrolment the sweep expires, as its statement reads it. */
type Expired = { id: string; user_id: string; run_id: string | null; status: StatusCode };

export interface ExpireTermsInput {
  /** Terms that ended before this Brussels date (`YYYY-MM-DD`) have passed. */
  today: string;
  /** The instant recorded as the change (ISO-8601 UTC). */
  at: string;
  /** The statuses the sweep may move (R8): the open ones. */
  statuses: readonly StatusCode[];
  /**
   * The first 16 characters of a fresh ULID. Each history row's id is this prefix and a 10-digit
   * row number: a ULID of this instant, unique, and in one range that marks the rows of this sweep.
   */
  idPrefix: string;
}

/**
 * Moves every enrolment in one of `statuses` whose study term has passed to term_expired and appends
 * one history row (source system) for each, whatever the number of rows in one statement on
 * PostgreSQL (the expired enrolments updated and written to history together) and in two on SQLite
 * (the history rows, then exactly the enrolments they name). The term is the enrolment's own
 * `term_ends_on` or, where none was fixed, its enrolment date plus the programme's or else the
 * course's study term (as `termEndsOn` in src/domain/study-term.ts). Returns how many changed.
 */
export async function expireStudyTerms(db: Db, input: ExpireTermsInput): Promise<number> {
  if (input.statuses.length === 0) return 0;
  const termDays = sql`coalesce(
    (select p.study_term_days from programmes p where p.id = e.programme_id),
    (select c.study_term_days from courses c where c.id = e.course_id))`;
  // The statuses as literals, not parameters: both databases then see that the condition implies
  // the partial index of open enrolments by term (migration 0180) and read only that index.
  const open = sql<boolean>`${sql.ref('e.status')} in (${sql.join(input.statuses.map((s) => sql.lit(s)))})`;
  const expired = db
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.user_id', 'e.run_id', 'e.status'])
    .where(open)
    .where((eb) =>
      eb.or([
        eb('e.term_ends_on', '<', input.today),
        eb.and([eb('e.term_ends_on', 'is', null), eb(addDaysSql(db, sql.ref('e.enrolled_at'), termDays), '<', input.today)]),
      ]),
    );
  const historyColumns = ['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'] as const;
  /** One history row per expired enrolment, read from the statement's `x`. */
  const historyRows = <DB extends Database & { x: Expired }>(eb: ExpressionBuilder<DB, 'history_system'>) =>
    (eb as unknown as ExpressionBuilder<Database & { x: Expired }, never>).selectFrom('x').select([
      numberedIdSql(input.idPrefix, sql.ref('x.id')).as('id'),
      sql<string>`cast(${input.at} as text)`.as('at'),
      sql.lit(null).as('actor_id'),
      sql.lit('system').as('source'),
      'x.user_id',
      'x.id',
      'x.run_id',
      sql.lit(null).as('meeting_id'),
      sql.lit('status').as('field'),
      'x.status',
      sql.lit('term_expired').as('new_value'),
      sql.lit('study_term').as('note'),
    ]);

  if (isPostgres(db)) {
    // One statement: the expired enrolments are updated, and the rows updated (`x`) written to history.
    // No lock is taken beforehand (that wrote every row once more): the update finds each row by its
    // physical address (ctid) from the same scan, and a row another transaction changed meanwhile
    // has a new address and is left alone, to be swept the next time if its term still has passed;
    // so the old status written to history is the one the update replaced. For this statement only:
    // no JIT (compiling it cost more than it saved), and no hash or merge joins (the planner hashed
    // every enrolment of the table for 100,000 rows); bench D, docs/performance.md.
    const result = await withPlannerSettings(db, { jit: 'off', enable_hashjoin: 'off', enable_mergejoin: 'off' }, () =>
      db
        .with('found', () => expired.select(sql<string>`e.ctid`.as('address')))
        .with('x', (w) =>
          w
            .updateTable('enrolments as e')
            .from('found')
            .set((eb) => ({ status: 'term_expired', status_changed_at: input.at, updated_at: input.at, version: eb('e.version', '+', 1) }))
            .where(sql<boolean>`e.ctid = found.address`)
            .whereRef('e.status', '=', 'found.status')
            .returning(['e.id', 'found.user_id', 'found.run_id', 'found.status']),
        )
        .insertInto('history_system')
        .columns(historyColumns)
        .expression(historyRows)
        .executeTakeFirst(),
    );
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  // SQLite runs one writer at a time: the history rows first, then exactly the enrolments they name.
  // `x` is materialized: inlined, SQLite read every enrolment in id order to number the rows without
  // a sort, instead of the open ones through their index. The rows go into the system's own history
  // table (migration 0210), whose indexes are small: the sweep of bench D changes about a quarter
  // of a GiB of pages instead of 1 GiB, and needs no more than SQLite's own cache.
  await db
    .with((cte) => cte('x').materialized(), () => expired)
    .insertInto('history_system')
    .columns(historyColumns)
    .expression(historyRows)
    .execute();
  const result = await db
    .updateTable('enrolments')
    .set((eb) => ({
      status: 'term_expired',
      status_changed_at: input.at,
      updated_at: input.at,
      version: eb('version', '+', 1),
    }))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('history_system')
        .select('enrolment_id')
        .where('id', '>=', numberedIdRange(input.idPrefix).first)
        .where('id', '<=', numberedIdRange(input.idPrefix).last),
    )
    .where('status', 'in', [...input.statuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Runs `work` with PostgreSQL settings changed for the current transaction only, then puts back what
 * they were, so that a caller's transaction that the sweep joins plans its later statements as
 * before. (When `work` fails the transaction is aborted and its rollback undoes the settings.)
 */
async function withPlannerSettings<T>(db: Db, settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  if (!db.isTransaction) return work();
  const names = Object.keys(settings);
  const before = await sql<Record<string, string>>`select ${sql.join(names.map((n) => sql`current_setting(${n}) as ${sql.ref(n)}`))}`.execute(db);
  const set = (values: Record<string, string>) => sql`select ${sql.join(names.map((n) => sql`set_config(${n}, ${values[n]!}, true)`))}`.execute(db);
  await set(settings);
  const result = await work();
  await set(before.rows[0]!);
  return result;
}
