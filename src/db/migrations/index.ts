import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './20261129_0001_initial.ts';
import * as historyWithoutForeignKeys from './20261129_0002_history_without_foreign_keys.ts';
import * as participantLifecycle from './20261202_0040_participant_lifecycle.ts';

/**
 * Every migration, by name. Listed statically rather than read from the folder, so the same code
 * runs under the server, the CLI and the test runner without file-system discovery.
 */
const migrations: Record<string, Migration> = {
  '20261129_0001_initial': initial,
  '20261129_0002_history_without_foreign_keys': historyWithoutForeignKeys,
  '20261202_0040_participant_lifecycle': participantLifecycle,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
