import { Migrator, sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import type { Store } from '../index.ts';
import { migrationProvider } from './index.ts';

const BEFORE = '20261202_0160_user_search_trigrams';
const MIGRATION = '20261202_0180_open_term_index';

/** Names of the enrolments' indexes that read `term_ends_on`. */
async function termIndexes(store: Store): Promise<string[]> {
  const rows =
    store.kind === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'enrolments' and sql like '%term_ends_on%' order by name`.execute(store.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'enrolments' and indexdef like '%term_ends_on%' order by indexname`.execute(store.db);
  return rows.rows.map((r) => r.name);
}

async function migrate(db: Kysely<any>, how: 'down' | 'latest'): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = how === 'down' ? await migrator.migrateTo(BEFORE) : await migrator.migrateToLatest();
  if (error) throw error;
  if (how === 'down') expect(results?.map((r) => r.migrationName)).toContain(MIGRATION);
}

describeEachDatabase(`migration ${MIGRATION}`, (store) => {
  it('replaces the (term_ends_on, status) index by a partial one of open enrolments; down puts it back', async () => {
    expect(await termIndexes(store())).toEqual(['enrolments_open_term_idx']);
    await migrate(store().db, 'down');
    expect(await termIndexes(store())).toEqual(['enrolments_term_idx']);
    await migrate(store().db, 'latest');
    expect(await termIndexes(store())).toEqual(['enrolments_open_term_idx']);
  });
});
