import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { queryCounter } from '../testing/query-counter.ts';
import { insertRows } from './bulk.ts';

const COLUMNS = ['id', 'email', 'address', 'at', 'succeeded'] as const;

describeEachDatabase('insertRows', (store, kind) => {
  const db = () => store().db;

  it('writes many rows in few statements, each shown to the plugins, inside a transaction', async () => {
    // SQLite, 5 columns: 6,000 rows a statement, so 7,000 rows take two. PostgreSQL: one array statement.
    const rows = Array.from({ length: 7000 }, (_, i) => ({ id: `bulk-${i}`, email: `e${i}@x`, address: '127.0.0.1', at: '2026-01-01T00:00:00.000Z', succeeded: i % 2 }));
    const inserts = queryCounter('InsertQueryNode');
    await db().transaction().execute((trx) => insertRows(trx.withPlugin(inserts.plugin), 'login_attempts', COLUMNS, rows));
    expect(inserts.count()).toBe(kind === 'sqlite' ? 2 : 1);
    const stored = await db().selectFrom('login_attempts').select(['id', 'succeeded']).where('id', 'like', 'bulk-%').execute();
    expect(stored).toHaveLength(7000);
    expect(stored.find((r) => r.id === 'bulk-6999')?.succeeded).toBe(1);
  });

  it('strips NUL from strings as the plugin does, and applies an on-conflict clause', async () => {
    await insertRows(db(), 'login_attempts', COLUMNS, [{ id: 'nul-1', email: 'a\u0000b@x', address: '::1', at: 'x', succeeded: 0 }]);
    await insertRows(db(), 'login_attempts', COLUMNS, [{ id: 'nul-1', email: 'second@x', address: '::1', at: 'y', succeeded: 1 }], 'on conflict ("id") do update set "email" = excluded."email"');
    const row = await db().selectFrom('login_attempts').selectAll().where('id', '=', 'nul-1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: 'second@x', at: 'x', succeeded: 0 });
    await insertRows(db(), 'login_attempts', COLUMNS, [{ id: 'nul-2', email: 'a\u0000b@x', address: '::1', at: 'x', succeeded: 0 }]);
    expect((await db().selectFrom('login_attempts').select('email').where('id', '=', 'nul-2').executeTakeFirstOrThrow()).email).toBe('ab@x');
  });

  it('converts every column to its type: reals, integers, NULL beside the text "NULL", quotes, commas and braces', async () => {
    const columns = ['id', 'code', 'title', 'kind', 'max_study_points', 'study_term_days', 'knowledge_centre_url', 'created_at'];
    const rows = [
      { id: 'bulk-c1', code: 'B1', title: 'a"b,c{d}e\\f\'g NULL', kind: 'exam', max_study_points: 2.75, study_term_days: 30, knowledge_centre_url: null, created_at: 'x' },
      { id: 'bulk-c2', code: 'B2', title: 'NULL', kind: 'classroom', max_study_points: 0, study_term_days: null, knowledge_centre_url: 'NULL', created_at: 'x' },
      { id: 'bulk-c3', code: 'B3', title: '', kind: 'elearning', max_study_points: 1e-7, created_at: 'x' },
    ];
    await insertRows(db(), 'courses', columns, rows);
    const stored = await db().selectFrom('courses').selectAll().where('id', 'like', 'bulk-c%').orderBy('id').execute();
    expect(stored.map((r) => [r.title, r.max_study_points, r.study_term_days, r.knowledge_centre_url, r.version])).toEqual([
      ['a"b,c{d}e\\f\'g NULL', 2.75, 30, null, 1],
      ['NULL', 0, null, 'NULL', 1],
      ['', 1e-7, null, null, 1],
    ]);
  });

  it('stores booleans as 1 and 0 and instants as ISO-8601 UTC text, as the rest of the app does', async () => {
    const at = new Date(Date.UTC(2026, 10, 29, 9, 30, 0, 123));
    await insertRows(db(), 'login_attempts', COLUMNS, [
      { id: 'typed-1', email: 'a@x', address: '::1', at, succeeded: true },
      { id: 'typed-2', email: 'b@x', address: '::1', at, succeeded: false },
    ]);
    const stored = await db().selectFrom('login_attempts').select(['at', 'succeeded']).where('id', 'like', 'typed-%').orderBy('id').execute();
    expect(stored).toEqual([
      { at: '2026-11-29T09:30:00.123Z', succeeded: 1 },
      { at: '2026-11-29T09:30:00.123Z', succeeded: 0 },
    ]);
  });

  it('counts the rows inserted or updated, not those an on-conflict condition skips', async () => {
    const base = { address: '::1', at: 'x', succeeded: 0 };
    expect(await insertRows(db(), 'login_attempts', COLUMNS, [{ id: 'count-1', email: 'a@x', ...base }, { id: 'count-2', email: 'b@x', ...base }])).toBe(2);
    const onlyIfA = 'on conflict ("id") do update set "email" = excluded."email" where "login_attempts"."email" = \'a@x\'';
    const rows = [{ id: 'count-1', email: 'c@x', ...base }, { id: 'count-2', email: 'd@x', ...base }, { id: 'count-3', email: 'e@x', ...base }];
    expect(await insertRows(db(), 'login_attempts', COLUMNS, rows, onlyIfA)).toBe(2);
    const stored = await db().selectFrom('login_attempts').select(['id', 'email']).where('id', 'like', 'count-%').orderBy('id').execute();
    expect(stored).toEqual([{ id: 'count-1', email: 'c@x' }, { id: 'count-2', email: 'b@x' }, { id: 'count-3', email: 'e@x' }]);
  });

  it('refuses a column the table does not have, writing nothing', async () => {
    await expect(insertRows(db(), 'login_attempts', ['id', 'no_such_column'], [{ id: 'bulk-bad', no_such_column: 1 }])).rejects.toThrow(/no_such_column/);
    expect(await db().selectFrom('login_attempts').select('id').where('id', '=', 'bulk-bad').execute()).toEqual([]);
  });

  it('does nothing for no rows', async () => {
    await expect(insertRows(db(), 'login_attempts', COLUMNS, [])).resolves.toBe(0);
  });
});
