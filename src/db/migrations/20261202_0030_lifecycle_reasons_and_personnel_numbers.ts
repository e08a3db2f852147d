import type { Kysely } from 'kysely';

/*
 * What cancelling, exempting and importing exemption lists need beside the initial data model:
 * - the reason a run or a course was cancelled, shown to its participants and teachers;
 * - the ground of an individual exemption (a reason and, optionally, the stored evidence file);
 * - a personnel number per person, the key HR uses in exemption lists (unique where given).
 * New nullable columns only, so existing rows stay valid on both databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('runs').addColumn('cancel_reason', 'text').execute();
  await db.schema.alterTable('courses').addColumn('cancel_reason', 'text').execute();
  await db.schema.alterTable('enrolments').addColumn('exemption_reason', 'text').execute();
  await db.schema.alterTable('enrolments').addColumn('exemption_file', 'text').execute();
  await db.schema.alterTable('users').addColumn('personnel_number', 'text').execute();
  await db.schema.createIndex('users_personnel_number_unique').on('users').column('personnel_number').unique().execute();
  // Cancelling or archiving a course reads its enrolments; on the course alone, so status changes never touch it.
  await db.schema.createIndex('enrolments_course_idx').on('enrolments').column('course_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolments_course_idx').execute();
  await db.schema.dropIndex('users_personnel_number_unique').execute();
  await db.schema.alterTable('users').dropColumn('personnel_number').execute();
  await db.schema.alterTable('enrolments').dropColumn('exemption_file').execute();
  await db.schema.alterTable('enrolments').dropColumn('exemption_reason').execute();
  await db.schema.alterTable('courses').dropColumn('cancel_reason').execute();
  await db.schema.alterTable('runs').dropColumn('cancel_reason').execute();
}
