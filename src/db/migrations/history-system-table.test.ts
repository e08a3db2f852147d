import { Migrator, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import type { Store } from '../index.ts';
import { migrationProvider } from './index.ts';

const BEFORE = '20261203_0190_history_enrolment_field_index';
/** The system's history apart: a partition on PostgreSQL (0200), a table and a view on SQLite (0210). */
const MIGRATIONS = ['20261203_0210_history_system_table_sqlite', '20261203_0200_history_system_partition'];

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
  if (how === 'down') expect(results?.map((r) => r.migrationName)).toEqual(MIGRATIONS);
}

async function addRow(store: Store, id: string, source: string): Promise<void> {
  await sql`insert into history (id, at, source, user_id, field, new_value) values (${id}, '2026-12-03T10:00:00.000Z', ${source}, 'u1', 'status', 'term_expired')`.execute(
    store.db,
  );
}

async function addRowWithActor(store: Store, id: string): Promise<void> {
  await sql`insert into history (id, at, actor_id, source, user_id, field, new_value) values (${id}, '2026-12-03T10:00:00.000Z', 'u2', 'system', 'u1', 'status', 'term_expired')`.execute(store.db);
}

/** Each history row's id with the table that holds it. */
async function rowsByTable(store: Store): Promise<Record<string, string>> {
  let rows;
  if (store.kind === 'postgres') {
    rows = await sql<{ id: string; holder: string }>`select id, tableoid::regclass::text as holder from history order by id`.execute(store.db);
  } else if ((await sqliteKind(store, 'history')) === 'view') {
    rows = await sql<{ id: string; holder: string }>`
      select id, 'history_main' as holder from history_main union all select id, 'history_system' from history_system order by id`.execute(store.db);
  } else {
    rows = await sql<{ id: string; holder: string }>`select id, 'history' as holder from history order by id`.execute(store.db);
  }
  return Object.fromEntries(rows.rows.map((r) => [r.id, r.holder]));
}

async function sqliteKind(store: Store, name: string): Promise<string | undefined> {
  return (await sql<{ type: string }>`select type from sqlite_master where name = ${name}`.execute(store.db)).rows[0]?.type;
}

/** The kind of thing `history` is and the names of the indexes of it and of the tables it is made of. */
async function historyShape(store: Store): Promise<{ kind: string; indexes: Record<string, string[]> }> {
  if (store.kind === 'sqlite') {
    const indexes = await sql<{ table: string; name: string }>`
      select tbl_name as "table", name from sqlite_master where type = 'index' and tbl_name like 'history%' and sql is not null order by tbl_name, name`.execute(store.db);
    const byTable: Record<string, string[]> = {};
    for (const { table, name } of indexes.rows) (byTable[table] ??= []).push(name);
    return { kind: (await sqliteKind(store, 'history'))!, indexes: byTable };
  }
  const kind = await sql<{ relkind: string }>`select relkind from pg_class where oid = 'history'::regclass`.execute(store.db);
  const indexes = await sql<{ table: string; name: string }>`
    select tablename as table, indexname as name from pg_indexes where tablename like 'history%' order by tablename, indexname`.execute(store.db);
  const byTable: Record<string, string[]> = {};
  for (const { table, name } of indexes.rows) (byTable[table] ??= []).push(name);
  return { kind: kind.rows[0]!.relkind === 'p' ? 'partitioned' : 'table', indexes: byTable };
}

/** History's indexes after the migrations on SQLite: history_main keeps the table's (SQLite cannot rename an index). */
const SQLITE_APART = {
  history_main: SECONDARY,
  history_system: ['history_system_at_idx', 'history_system_enrolment_field_idx', 'history_system_run_idx', 'history_system_user_idx'],
};

/** History's indexes after the migrations on PostgreSQL: those of the parent and each partition. */
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

describeEachDatabase(`migrations ${MIGRATIONS.join(' and ')}`, (store, kind) => {
  /** History after the migrations: partitioned on PostgreSQL, a view of two tables on SQLite. */
  const apart = kind === 'postgres' ? { kind: 'partitioned', indexes: PARTITIONED } : { kind: 'view', indexes: SQLITE_APART };

  it('keeps the system’s history rows in a table of their own; down puts one table back with every row', async () => {
    await addRow(store(), '01KBEFORE0000000000000001', 'system');
    await addRow(store(), '01KBEFORE0000000000000002', 'teacher_form');
    expect(await historyShape(store())).toEqual(apart);
    expect(await rowsByTable(store())).toEqual({ '01KBEFORE0000000000000001': 'history_system', '01KBEFORE0000000000000002': 'history_main' });

    await migrate(store().db, 'down');
    expect(await historyShape(store())).toEqual({ kind: 'table', indexes: { history: kind === 'postgres' ? ['history_pkey', ...SECONDARY].sort() : SECONDARY } });
    await addRow(store(), '01KBEFORE0000000000000003', 'system');
    expect(Object.values(await rowsByTable(store()))).toEqual(['history', 'history', 'history']);

    await migrate(store().db, 'latest');
    expect(await historyShape(store())).toEqual(apart);
    expect(await rowsByTable(store())).toEqual({
      '01KBEFORE0000000000000001': 'history_system',
      '01KBEFORE0000000000000002': 'history_main',
      '01KBEFORE0000000000000003': 'history_system',
    });
  });

  it('takes into the system’s table only rows without an actor whose change is the status', async () => {
    await expect(addRowWithActor(store(), '01KBEFORE0000000000000004')).rejects.toThrow(/history_system_shape/);
    await expect(sql`insert into history_system (id, at, source, user_id, field) values ('01KBEFORE0000000000000005', '2026-12-03T10:00:00.000Z', 'system', 'u1', 'attendance')`.execute(store().db)).rejects.toThrow(/history_system_shape/);
    expect(Object.keys(await rowsByTable(store()))).not.toContain('01KBEFORE0000000000000004');
  });

  it('changes and deletes a row through history in the table that holds it', async () => {
    await sql`update history set note = 'study_term' where id in ('01KBEFORE0000000000000001', '01KBEFORE0000000000000002')`.execute(store().db);
    const notes = await store().db.selectFrom('history').select(['id', 'note']).where('id', 'in', ['01KBEFORE0000000000000001', '01KBEFORE0000000000000002']).orderBy('id').execute();
    expect(notes).toEqual([
      { id: '01KBEFORE0000000000000001', note: 'study_term' },
      { id: '01KBEFORE0000000000000002', note: 'study_term' },
    ]);
    await sql`delete from history where id in ('01KBEFORE0000000000000001', '01KBEFORE0000000000000002')`.execute(store().db);
    expect(await rowsByTable(store())).toEqual({ '01KBEFORE0000000000000003': 'history_system' });
  });

  it.runIf(kind === 'sqlite')('reads a page of history from both tables’ indexes in id order, without sorting', async () => {
    const plan = await sql<{ detail: string }>`explain query plan
      select h.id from history h left join users actor on actor.id = h.actor_id where h.user_id = 'u1' order by h.id desc limit 51`.execute(store().db);
    const details = plan.rows.map((r) => r.detail);
    expect(details).toContain('MERGE (UNION ALL)');
    expect(details.some((d) => d.includes('USING INDEX history_user_idx'))).toBe(true);
    expect(details.some((d) => d.includes('USING INDEX history_system_user_idx'))).toBe(true);
    expect(details.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
  });

  it.runIf(kind === 'postgres')('reads the system’s partition only where its rows can match', async () => {
    // Filters by actor or by another kind of change leave the partition out; the others read both.
    expect(await historyTablesRead(store(), sql`select id from history where actor_id = 'u2' order by id desc limit 51`)).toEqual(['history_main']);
    expect(await historyTablesRead(store(), sql`select id from history where field = 'attendance' order by id desc limit 51`)).toEqual(['history_main']);
    expect(await historyTablesRead(store(), sql`select id from history where field = 'status' order by id desc limit 51`)).toEqual(['history_main', 'history_system']);
    expect(await historyTablesRead(store(), sql`select id from history where user_id = 'u1' order by id desc limit 51`)).toEqual(['history_main', 'history_system']);
  });
});
