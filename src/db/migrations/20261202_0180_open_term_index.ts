import { sql, type Kysely } from 'kysely';

/**
 * The study-term sweep looks for enrolments in an open status whose term has passed. Through
 * `(term_ends_on, status)` it read every enrolment whose term had passed, final ones included (most
 * of them on a database with years of history), and every status change by the sweep moved the row
 * within that index. This index holds the open enrolments only: the sweep reads just those, and an
 * enrolment that reaches any other status leaves the index instead of getting a new entry (bench D).
 * Nothing else reads `term_ends_on`.
 *
 * The statuses are the open ones (`OPEN_STATUSES`, src/domain/study-status.ts), written out here so
 * that this migration stays as it ran; the sweep names them in the same order, as literals, so that
 * both databases can prove its condition implies this one (study-term.ts, and its test).
 */
export const OPEN_TERM_STATUSES = ['enrolled', 'not_started', 'started', 'run_choice_required'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolments_term_idx').execute();
  await db.schema
    .createIndex('enrolments_open_term_idx')
    .on('enrolments')
    .column('term_ends_on')
    .where(sql.ref('status'), 'in', sql`(${sql.join(OPEN_TERM_STATUSES.map((s) => sql.lit(s)))})`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolments_open_term_idx').execute();
  await db.schema.createIndex('enrolments_term_idx').on('enrolments').columns(['term_ends_on', 'status']).execute();
}
