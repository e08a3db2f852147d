import { type Kysely } from 'kysely';

/**
 * The waiting list of a full run: one row per person waiting, in the order they came (the id is a
 * ULID, so id order is arrival order). A person waits at most once per run. When a place frees, the
 * first in line becomes an enrolment and leaves the list.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('waiting_list')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text')
    .addUniqueConstraint('waiting_list_run_user_unique', ['run_id', 'user_id'])
    .execute();
  await db.schema.createIndex('waiting_list_run_idx').on('waiting_list').columns(['run_id', 'id']).execute();
  await db.schema.createIndex('waiting_list_user_idx').on('waiting_list').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('waiting_list').execute();
}
