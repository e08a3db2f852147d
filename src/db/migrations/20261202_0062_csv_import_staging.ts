import { type Kysely } from 'kysely';

/**
 * A CSV file an administrator uploaded, kept between its preview and its import, so the file is sent
 * once: the preview and the import read the same bytes. Rows are removed when imported, and any
 * left behind after a day are removed by the next upload.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('csv_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('csv_imports_created_idx').on('csv_imports').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('csv_imports').execute();
}
