import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, type DatabaseKind, type Store } from '../db/index.ts';

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

/** Creates an empty PostgreSQL database for one suite; `drop` removes it. */
export async function createPostgresDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `presentia_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`); // name is generated above from hex digits only
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
