import type { Kysely } from 'kysely';

/**
 * The run lists show each run's number of active participants: a count of its enrolments by status.
 * With `(run_id, status)` indexed the count reads the index alone, not every enrolment row (bench H:
 * the run overview counts 50 runs a page; the teacher's run list does the same).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('enrolments_run_status_idx').on('enrolments').columns(['run_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolments_run_status_idx').execute();
}
