import type { KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { insertRows } from './bulk.ts';

const COLUMNS = ['id', 'email', 'address', 'at', 'succeeded'] as const;

describeEachDatabase('insertRows', (store) => {
  const db = () => store().db;

  it('writes many rows in few statements, each shown to the plugins, inside a transaction', async () => {
    // 5 columns: 6,000 rows a statement, so 7,000 rows take two.
    const rows = Array.from({ length: 7000 }, (_, i) => ({ id: `bulk-${i}`, email: `e${i}@x`, address: '127.0.0.1', at: '2026-01-01T00:00:00.000Z', succeeded: i % 2 }));
    let inserts = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'InsertQueryNode') inserts += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    await db().transaction().execute((trx) => insertRows(trx.withPlugin(counting), 'login_attempts', COLUMNS, rows));
    expect(inserts).toBe(2);
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

  it('does nothing for no rows', async () => {
    await expect(insertRows(db(), 'login_attempts', COLUMNS, [])).resolves.toBeUndefined();
  });
});
