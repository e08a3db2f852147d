import { Migrator } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { queryCounter } from '../testing/query-counter.ts';
import { migrateToLatest } from './index.ts';
import { migrationProvider } from './migrations/index.ts';

describeEachDatabase('migrateToLatest', (store) => {
  it('tells an up-to-date database by one query and applies nothing', async () => {
    const queries = queryCounter();
    expect(await migrateToLatest(store().db.withPlugin(queries.plugin))).toEqual([]);
    expect(queries.count()).toBe(1);
  });

  it('applies a migration that is not recorded, as after an upgrade', async () => {
    const latest = Object.keys(await migrationProvider.getMigrations()).sort().at(-1)!;
    const { error, results } = await new Migrator({ db: store().db, provider: migrationProvider }).migrateDown();
    expect(error).toBeUndefined();
    expect(results?.map((r) => r.migrationName)).toEqual([latest]);
    expect(await migrateToLatest(store().db)).toEqual([latest]);
    expect(await migrateToLatest(store().db)).toEqual([]);
  });
});
