import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, type DatabaseKind, type Store } from '../db/index.ts';
import { createPostgresDatabase } from './postgres.ts';

export { createPostgresDatabase };

/**
 * Runs a suite once on a fresh, migrated SQLite database and once on a fresh PostgreSQL database
 * (created for this suite and dropped after it). `store()` gives the current one inside tests.
 */
export function describeEachDatabase(name: string, suite: (store: () => Store, kind: DatabaseKind) => void): void {
  const adminUrl = inject('postgresAdminUrl');
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe.skipIf(kind === 'postgres' && !adminUrl)(`${name} [${kind}]`, () => {
      let current: Store | undefined;
      let dropDatabase: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        if (kind === 'sqlite') {
          current = openSqlite(':memory:');
        } else {
          const created = await createPostgresDatabase(adminUrl!);
          current = openPostgres(created.url, 4);
          dropDatabase = created.drop;
        }
        await migrateToLatest(current.db);
      });
      afterAll(async () => {
        await current?.close();
        await dropDatabase?.();
      });
      suite(() => {
        if (!current) throw new Error('database not ready');
        return current;
      }, kind);
    });
  }
}
