import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../config.ts';
import { openSqlite, SQLITE_FILE } from '../../db/index.ts';
import { BackupRefused, POSTGRES_BACKUP, backupSqlite } from '../../services/backup.ts';
import { CliError, INVOCATION, type Command } from '../command.ts';

/** `backup <file>`: a consistent copy of the SQLite database, taken while the server runs. */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'Copy the SQLite database to a file, safely while the server runs.',
  usage: 'backup <file>',
  arguments: [{ name: 'file', description: 'Where to write the copy; a file of that name is replaced only once the copy is complete and checked.' }],
  description: `
Copies DATA_DIR/presentia.db with SQLite's online backup API while Presentia keeps running: the copy
holds every save committed when it started and nothing of one still in progress. It is one
self-contained file, checked with SQLite's integrity_check before it gets its name. The database is
not migrated first, so a backup taken before an upgrade is the database as the old version left it.

  ${INVOCATION} backup /var/backups/presentia/presentia-$(date +%F).db

Also copy DATA_DIR/uploads (proof files). On PostgreSQL (DATABASE_URL set) use pg_dump instead;
see docs/operations.md.`,
  options: {},
  async run(values, io) {
    const file = String(values.file);
    const config = loadConfig(io.env);
    if (config.DATABASE_URL) throw new CliError(POSTGRES_BACKUP);
    const database = path.resolve(config.DATA_DIR, SQLITE_FILE);
    if (!fs.existsSync(database)) throw new CliError(`There is no database at ${database} to back up. Is DATA_DIR right?`);
    // Opened as it is: no migration, no new file.
    const store = openSqlite(database);
    try {
      const result = await backupSqlite(store, file);
      io.stdout.write(
        `Backed up ${database} to ${result.file} (${formatBytes(result.bytes)}, ${result.pages} pages, ${result.milliseconds} ms); its integrity check passed.\n`,
      );
    } catch (error) {
      if (error instanceof BackupRefused) throw new CliError(error.message);
      throw error;
    } finally {
      await store.close();
    }
  },
};

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
