import type { Kysely } from 'kysely';

/**
 * What a participant does to their own enrolments: a course's knowledge centre (Markdown text and
 * attached files), its e-learning module (an unpacked HTML package), the reason of a withdrawal and
 * of an absence reported in advance.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('knowledge_centres')
    .addColumn('course_id', 'text', (c) => c.primaryKey().references('courses.id').onDelete('cascade'))
    .addColumn('body_markdown', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('knowledge_centre_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('courses.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('knowledge_centre_files_course').on('knowledge_centre_files').columns(['course_id', 'id']).execute();

  await db.schema
    .createTable('elearning_modules')
    .addColumn('course_id', 'text', (c) => c.primaryKey().references('courses.id').onDelete('cascade'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('entry_path', 'text', (c) => c.notNull())
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('total_bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id'))
    .execute();

  await db.schema.alterTable('enrolments').addColumn('withdrawal_reason', 'text').execute();
  await db.schema.alterTable('attendance').addColumn('absence_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attendance').dropColumn('absence_reason').execute();
  await db.schema.alterTable('enrolments').dropColumn('withdrawal_reason').execute();
  await db.schema.dropTable('elearning_modules').execute();
  await db.schema.dropTable('knowledge_centre_files').execute();
  await db.schema.dropTable('knowledge_centres').execute();
}
