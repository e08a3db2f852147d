import { type Kysely } from 'kysely';

/**
 * Accounts an administrator manages: a deactivated user keeps every row about them but cannot sign
 * in; a password is set through a one-time link whose token is stored only as its SHA-256 hash.
 * The user search reads users in name order (an index on name, id; administrators by role use
 * user_roles_role_idx of the catalogue migration).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();

  await db.schema
    .createTable('password_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('password_links_user_idx').on('password_links').column('user_id').execute();

  await db.schema.createIndex('users_name_idx').on('users').columns(['name', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_name_idx').execute();
  await db.schema.dropTable('password_links').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
}
