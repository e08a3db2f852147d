import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The administrators' user search finds a part of a name or an e-mail address anywhere in it
 * (`lower(name) like '%…%'`). On PostgreSQL trigram indexes on both expressions serve it (a rare
 * part is found through the index instead of reading every user), and give the planner statistics
 * on the expressions so that a common part walks the name order instead. SQLite reads its users
 * table, which stays fast at a hundred thousand users (bench H).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create index users_name_trgm_idx on users using gin (lower(name) gin_trgm_ops)`.execute(db);
  await sql`create index users_email_trgm_idx on users using gin (lower(email) gin_trgm_ops)`.execute(db);
  await sql`analyze users`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop index if exists users_email_trgm_idx`.execute(db);
  await sql`drop index if exists users_name_trgm_idx`.execute(db);
}
