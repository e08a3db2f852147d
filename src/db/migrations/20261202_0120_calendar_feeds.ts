import { type Kysely } from 'kysely';

/**
 * Private calendar feeds: each person has at most one secret feed address, stored only as the
 * SHA-256 hash of its token (a stolen database holds no usable address). Renewing replaces the row,
 * so the old address stops working at once. The feed itself is read through the hash's unique index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_feeds').execute();
}
