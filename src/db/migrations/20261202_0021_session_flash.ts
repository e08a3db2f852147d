import type { Kysely } from 'kysely';

/*
 * A one-time message kept with the login session (post/redirect/get): the page after a save shows
 * what the session says was saved, never what a link's query string claims.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('flash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('flash').execute();
}
