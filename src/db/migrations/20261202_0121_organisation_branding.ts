import { type Kysely } from 'kysely';

/**
 * The organisation's own look on its documents: name, signatory and logo, as an administrator sets
 * them. One row (id `organisation`). The logo is kept in the database as base64 text rather than as
 * a file, so that several app servers on one PostgreSQL database all have it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisation_branding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('signatory_name', 'text')
    .addColumn('signatory_title', 'text')
    .addColumn('logo_type', 'text')
    .addColumn('logo_base64', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organisation_branding').execute();
}
