import type { Kysely } from 'kysely';

/*
 * Every proof file stored for an enrolment (R4). A file sent with a save is first *staged*
 * (confirmed_at empty): the save may still be refused, end in a conflict, or wait for a confirmation
 * that never comes. Only the save that records the file as the enrolment's proof confirms it. The
 * key is the file's name on disk; a save may only name a key stored for the same enrolment.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proof_files')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('enrolment_id', 'text', (c) => c.notNull().references('enrolments.id').onDelete('cascade'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('byte_size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .execute();
  await db.schema.createIndex('proof_files_enrolment_idx').on('proof_files').column('enrolment_id').execute();
  await db.schema.createIndex('proof_files_staged_idx').on('proof_files').columns(['confirmed_at', 'uploaded_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('proof_files').execute();
}
