import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../testing/databases.ts';
import { openPostgres } from './index.ts';

const adminUrl = inject('postgresAdminUrl');

describe.skipIf(!adminUrl)('PostgreSQL pool', () => {
  it('survives the server ending an idle connection (restart, failover, idle timeout) and reconnects', async () => {
    const created = await createPostgresDatabase(adminUrl!);
    const store = openPostgres(created.url, 2);
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      const admin = new pg.Client({ connectionString: adminUrl! });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      await admin.end();
      await new Promise((r) => setTimeout(r, 200)); // the pool hears of it while the connection is idle
      // Without an error listener on the pool this was an unhandled 'error' event: the process exited.
      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
      await created.drop();
    }
  });
});
