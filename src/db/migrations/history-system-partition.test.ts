import { Migrator, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import type { Store } from '../index.ts';
import { migrationProvider } from './index.ts';

const BEFORE = '20261203_0190_history_enrolment_field_index';
const MIGRATION = '20261203_0200_history_system_partition';

const SECONDARY = [
  'history_actor_idx',
  'history_at_idx',
  'history_enrolment_field_idx',
  'history_field_idx',
  'history_run_field_idx',
  'history_run_idx',
  'history_user_idx',
];

async function migrate(db: Kysely<any>, how: 'down' | 'latest'): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = how === 'down' ? await migrator.migrateTo(BEFORE) : await migrator.migrateToLatest();
  if (error) throw error;
  if (how === 'down') expect(results?.map((r) => r.migrationName)).toEqual([MIGRATION]);
}

async function addRow(store: Store, id: string, source: string): Promise<void> {
  await sql`insert into history (id, at, source, user_id, field, new_value) values (${id}, '2026-12-03T10:00:00.000Z', ${source}, 'u1', 'status', 'term_expired')`.execute(
    store.db,
  );
}

async function addRowWithActor(store: Store, id: string): Promise<void> {
  await sql`insert into history (id, at, actor_id, source, user_id, field, new_value) values (${id}, '2026-12-03T10:00:00.000Z', 'u2', 'system', 'u1', 'status', 'term_expired')`.execute(store.db);
}

/** Each history row's id with the table that holds it (on SQLite, always `history`). */
async function rowsByTable(store: Store): Promise<Record<string, string>> {
  const rows =
    store.kind === 'sqlite'
      ? await sql<{ id: string; holder: string }>`select id, 'history' as holder from history order by id`.execute(store.db)
      : await sql<{ id: string; holder: string }>`select id, tableoid::regclass::text as holder from history order by id`.execute(store.db);
  return Object.fromEntries(rows.rows.map((r) => [r.id, r.holder]));
}

/** The kind of table `history` is and the names of its indexes, with its partitions' on PostgreSQL. */
async function historyShape(store: Store): Promise<{ kind: string; indexes: Record<string, string[]> }> {
  if (store.kind === 'sqlite') {
    const indexes = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'history' and sql is not null order by name`.execute(store.db);
    return { kind: 'table', indexes: { history: indexes.rows.map((r) => r.name) } };
  }
  const kind = await sql<{ relkind: string }>`select relkind from pg_class where oid = 'history'::regclass`.execute(store.db);
  const indexes = await sql<{ table: string; name: string }>`
    select tablename as table, indexname as name from pg_indexes where tablename like 'history%' order by tablename, indexname`.execute(store.db);
  const byTable: Record<string, string[]> = {};
  for (const { table, name } of indexes.rows) (byTable[table] ??= []).push(name);
  return { kind: kind.rows[0]!.relkind === 'p' ? 'partitioned' : 'table', indexes: byTable };
}

/** History's indexes after this migration: on PostgreSQL those of the parent and each partition. */
const PARTITIONED = {
  history: ['history_at_idx', 'history_enrolment_field_idx', 'history_run_idx', 'history_user_idx'],
  history_main: [
    'history_main_actor_idx',
    'history_main_at_idx',
    'history_main_enrolment_field_idx',
    'history_main_field_idx',
    'history_main_pkey',
    'history_main_run_field_idx',
    'history_main_run_idx',
    'history_main_user_idx',
  ],
  history_system: ['history_system_at_idx', 'history_system_enrolment_field_idx', 'history_system_pkey', 'history_system_run_idx', 'history_system_user_idx'],
};

/** The tables a query plan reads history from. */
async function historyTablesRead(store: Store, query: ReturnType<typeof sql>): Promise<string[]> {
  const plan = await sql<{ 'QUERY PLAN': string }>`explain ${query}`.execute(store.db);
  return [...new Set(plan.rows.flatMap((r) => [...r['QUERY PLAN'].matchAll(/ on (history\w*)/g)].map((m) => m[1]!)))].sort();
}

describeEachDatabase(`migration ${MIGRATION}`, (store, kind) => {
  it('keeps the system’s history rows in a partition of their own on PostgreSQL; down puts one table back with every row', async () => {
    const partitioned = store().kind === 'postgres';
    await addRow(store(), '01KBEFORE0000000000000001', 'system');
    await addRow(store(), '01KBEFORE0000000000000002', 'teacher_form');
    expect(await historyShape(store())).toEqual(partitioned ? { kind: 'partitioned', indexes: PARTITIONED } : { kind: 'table', indexes: { history: SECONDARY } });
    expect(await rowsByTable(store())).toEqual(
      partitioned
        ? { '01KBEFORE0000000000000001': 'history_system', '01KBEFORE0000000000000002': 'history_main' }
        : { '01KBEFORE0000000000000001': 'history', '01KBEFORE0000000000000002': 'history' },
    );

    await migrate(store().db, 'down');
    expect(await historyShape(store())).toEqual({ kind: 'table', indexes: { history: partitioned ? ['history_pkey', ...SECONDARY].sort() : SECONDARY } });
    await addRow(store(), '01KBEFORE0000000000000003', 'system');
    expect(Object.values(await rowsByTable(store()))).toEqual(['history', 'history', 'history']);

    await migrate(store().db, 'latest');
    expect(await historyShape(store())).toEqual(partitioned ? { kind: 'partitioned', indexes: PARTITIONED } : { kind: 'table', indexes: { history: SECONDARY } });
    expect(await rowsByTable(store())).toEqual(
      partitioned
        ? {
            '01KBEFORE0000000000000001': 'history_system',
            '01KBEFORE0000000000000002': 'history_main',
            '01KBEFORE0000000000000003': 'history_system',
          }
        : { '01KBEFORE0000000000000001': 'history', '01KBEFORE0000000000000002': 'history', '01KBEFORE0000000000000003': 'history' },
    );
  });

  it.runIf(kind === 'postgres')('reads the system’s partition only where its rows can match', async () => {
    // The partition holds rows without an actor whose change is the status (a check says so) ...
    await expect(addRowWithActor(store(), '01KBEFORE0000000000000004')).rejects.toThrow(/history_system_shape/);
    // ... so filters by actor or by another kind of change leave it out; the others read both.
    expect(await historyTablesRead(store(), sql`select id from history where actor_id = 'u2' order by id desc limit 51`)).toEqual(['history_main']);
    expect(await historyTablesRead(store(), sql`select id from history where field = 'attendance' order by id desc limit 51`)).toEqual(['history_main']);
    expect(await historyTablesRead(store(), sql`select id from history where field = 'status' order by id desc limit 51`)).toEqual(['history_main', 'history_system']);
    expect(await historyTablesRead(store(), sql`select id from history where user_id = 'u1' order by id desc limit 51`)).toEqual(['history_main', 'history_system']);
  });
});
