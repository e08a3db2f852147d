import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { migrateToLatest, openStore, type Store } from '../db/index.ts';
import { CliError } from './command.ts';

/**
 * Opens the database the server would use (`DATABASE_URL`, else `DATA_DIR/presentia.db`), brings
 * its schema up to date, runs `work` and closes it again, also when `work` fails. Every command
 * migrates first, so a command never runs against an older schema than the code expects.
 */
export async function withDatabase<T>(
  env: Record<string, string | undefined>,
  work: (store: Store, appliedMigrations: string[]) => Promise<T>,
): Promise<T> {
  const config = loadConfig(env);
  // A command needs one connection at a time; a smaller pool than the server's spares PostgreSQL.
  const store = openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 2 });
  try {
    // Reach the database first, so that an unreachable one is reported as such and not as a
    // failed migration.
    await sql`select 1`.execute(store.db).catch((error: unknown) => {
      throw new CliError(`Cannot open the ${store.kind} database at ${store.location}: ${reason(error)}`);
    });
    const applied = await migrateToLatest(store.db);
    return await work(store, applied);
  } finally {
    await store.close();
  }
}

function reason(error: unknown): string {
  // pg reports a refused connection as an AggregateError (one per address tried) with no message.
  if (error instanceof AggregateError && error.errors.length > 0) return error.errors.map(reason).join('; ');
  return error instanceof Error ? error.message || error.name : String(error);
}
