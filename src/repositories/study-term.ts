import { sql } from 'kysely';
import { addDaysSql } from '../db/exclusive.ts';
import type { Db } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';

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
 * one history row (source system) for each, in two statements whatever the number of rows: the
 * history rows are inserted from the expired enrolments (locked on PostgreSQL, so none changes before
 * the update), then exactly the enrolments those rows name are updated. The term is the enrolment's
 * own `term_ends_on` or, where none was fixed, its enrolment date plus the programme's or else the
 * course's study term (as `termEndsOn` in src/domain/study-term.ts). Returns how many changed.
 */
export async function expireStudyTerms(db: Db, input: ExpireTermsInput): Promise<number> {
  if (input.statuses.length === 0) return 0;
  const termDays = sql`coalesce(
    (select p.study_term_days from programmes p where p.id = e.programme_id),
    (select c.study_term_days from courses c where c.id = e.course_id))`;
  const expired = db
    .selectFrom('enrolments as e')
    .select(['e.id', 'e.user_id', 'e.run_id', 'e.status'])
    .where('e.status', 'in', [...input.statuses])
    .where((eb) =>
      eb.or([
        eb('e.term_ends_on', '<', input.today),
        eb.and([eb('e.term_ends_on', 'is', null), eb(addDaysSql(db, sql.ref('e.enrolled_at'), termDays), '<', input.today)]),
      ]),
    )
    .forUpdate();
  const rowNumber = sql<string>`cast(row_number() over (order by x.id) as text)`;
  const historyId = sql<string>`cast(${input.idPrefix} as text) || substr('0000000000' || ${rowNumber}, length(${rowNumber}) + 1)`;
  await db
    .insertInto('history')
    .columns(['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'])
    .expression(
      db
        .selectFrom(expired.as('x'))
        .select([
          historyId.as('id'),
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
        ]),
    )
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
        .selectFrom('history')
        .select('enrolment_id')
        .where('id', '>=', `${input.idPrefix}0000000000`)
        .where('id', '<=', `${input.idPrefix}9999999999`),
    )
    .where('status', 'in', [...input.statuses])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
