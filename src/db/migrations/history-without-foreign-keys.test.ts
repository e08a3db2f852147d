import { Migrator, sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../../testing/databases.ts';
import { openPostgres, openSqlite, type Store } from '../index.ts';
import { migrationProvider } from './index.ts';

const BEFORE = '20261129_0001_initial';
const MIGRATION = '20261129_0002_history_without_foreign_keys';

async function migrateTo(db: Kysely<any>, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(name);
  if (error) throw error;
}

/** Names of the history indexes and the number of its foreign keys. */
async function historyShape(store: Store) {
  if (store.kind === 'sqlite') {
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'history' and sql is not null order by name`.execute(store.db);
    const keys = await sql<{ n: number }>`select count(*) as n from pragma_foreign_key_list('history')`.execute(store.db);
    return { indexes: indexes.rows.map((r) => r.name), foreignKeys: Number(keys.rows[0]!.n) };
  }
  const indexes = await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'history' and indexname <> 'history_pkey' order by indexname`.execute(store.db);
  const keys = await sql<{ n: number }>`select count(*) as n from pg_constraint where conrelid = 'history'::regclass and contype = 'f'`.execute(store.db);
  return { indexes: indexes.rows.map((r) => r.name), foreignKeys: Number(keys.rows[0]!.n) };
}

const row = (id: string, userId: string, extra: Record<string, string | null> = {}) => ({
  id,
  at: '2026-11-29T10:00:00.000Z',
  actor_id: null,
  source: 'admin',
  user_id: userId,
  enrolment_id: null,
  run_id: null,
  meeting_id: null,
  field: 'status',
  old_value: 'enrolled',
  new_value: 'completed',
  note: null,
  ...extra,
});

for (const kind of ['sqlite', 'postgres'] as const) {
  const adminUrl = inject('postgresAdminUrl');
  describe.skipIf(kind === 'postgres' && !adminUrl)(`migration ${MIGRATION} [${kind}]`, () => {
    let store: Store;
    let drop: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    it('drops the foreign keys of history, keeping its rows, check and indexes; down puts them back', async () => {
      if (kind === 'sqlite') {
        store = openSqlite(':memory:');
      } else {
        const created = await createPostgresDatabase(adminUrl!);
        drop = created.drop;
        store = openPostgres(created.url, 2);
      }
      const db = store.db as unknown as Kysely<any>;
      await migrateTo(db, BEFORE);
      expect(await historyShape(store)).toEqual({ indexes: ['history_enrolment_idx', 'history_run_idx', 'history_user_idx'], foreignKeys: 5 });
      await db.insertInto('users').values({ id: 'u1', email: 'u1@x', name: 'U', created_at: 'x' }).execute();
      await db.insertInto('history').values([row('h1', 'u1'), row('h2', 'u1', { note: 'kept' })]).execute();
      await expect(db.insertInto('history').values(row('h3', 'nobody')).execute()).rejects.toThrow();

      await migrateTo(db, MIGRATION);
      expect(await historyShape(store)).toEqual({ indexes: ['history_enrolment_idx', 'history_run_idx', 'history_user_idx'], foreignKeys: 0 });
      const kept = await db.selectFrom('history').selectAll().orderBy('id').execute();
      expect(kept).toEqual([row('h1', 'u1'), row('h2', 'u1', { note: 'kept' })]);
      // History records what happened; it no longer depends on what it describes still being there.
      await db.insertInto('history').values(row('h3', 'gone-user', { enrolment_id: 'gone', run_id: 'gone', meeting_id: 'gone', actor_id: 'gone' })).execute();
      await expect(db.insertInto('history').values(row('h4', 'u1', { source: 'nobody' })).execute()).rejects.toThrow();
      await expect(db.insertInto('history').values(row('h1', 'u1')).execute()).rejects.toThrow();

      await db.deleteFrom('history').where('id', '=', 'h3').execute();
      await migrateTo(db, BEFORE);
      expect(await historyShape(store)).toEqual({ indexes: ['history_enrolment_idx', 'history_run_idx', 'history_user_idx'], foreignKeys: 5 });
      expect(await db.selectFrom('history').select('id').orderBy('id').execute()).toEqual([{ id: 'h1' }, { id: 'h2' }]);
      await expect(db.insertInto('history').values(row('h3', 'nobody')).execute()).rejects.toThrow();
    });
  });
}
