import { withDatabase } from '../database.ts';
import type { Command } from '../command.ts';

/** `migrate`: brings the database schema to the latest migration. */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Bring the database schema up to date.',
  usage: 'migrate',
  description: `
Applies every migration the database does not have yet, in order, on SQLite (DATA_DIR/presentia.db)
or on PostgreSQL (DATABASE_URL). Safe to run at any time; the server also migrates at start-up.`,
  options: {},
  async run(_values, io) {
    await withDatabase(io.env, async (store, applied) => {
      for (const name of applied) io.stdout.write(`Applied migration ${name}\n`);
      io.stdout.write(
        applied.length > 0
          ? `The ${store.kind} database at ${store.location} is up to date.\n`
          : `Nothing to do: the ${store.kind} database at ${store.location} was already up to date.\n`,
      );
    });
  },
};
