import { loadConfig } from '../../config.ts';
import { BackupRefused, restoreSqlite } from '../../services/backup.ts';
import { CliError, INVOCATION, type Command } from '../command.ts';

/** `restore <file>`: puts a SQLite backup in place as the database, with Presentia stopped. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the SQLite database with a backup (stop Presentia first).',
  usage: 'restore <file>',
  arguments: [{ name: 'file', description: 'A backup made with the backup command.' }],
  description: `
Checks the backup first (SQLite's integrity_check, the Presentia tables, no migration newer than
this version knows) and refuses, changing nothing, a file that fails a check. Refuses as well while
the database is open in another process: stop Presentia, restore, start it again. The database that
was in DATA_DIR is kept beside it as presentia.db.before-restore-<time>.

  systemctl stop presentia
  ${INVOCATION} restore /var/backups/presentia/presentia-2026-12-01.db
  systemctl start presentia

Restore DATA_DIR/uploads (proof files) from the same night too. On PostgreSQL (DATABASE_URL set)
use pg_restore instead; see docs/operations.md.`,
  options: {},
  async run(values, io) {
    const file = String(values.file);
    const config = loadConfig(io.env);
    try {
      const result = await restoreSqlite(file, config.DATA_DIR, { databaseUrl: config.DATABASE_URL });
      io.stdout.write(`Restored ${file} as ${result.database}; its integrity check passed.\n`);
      if (result.previous) io.stdout.write(`The database that was there is kept as ${result.previous}; delete it once the restored data is confirmed.\n`);
      io.stdout.write('Start Presentia to use it (a backup from an older version is migrated at start-up).\n');
    } catch (error) {
      if (error instanceof BackupRefused) throw new CliError(error.message);
      throw error;
    }
  },
};
