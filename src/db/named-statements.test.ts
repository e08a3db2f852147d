import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../testing/databases.ts';
import { makeCourse } from '../testing/factories.ts';
import { migrateToLatest, openPostgres, type Db } from './index.ts';
import { preparedQuery } from './prepared.ts';

const adminUrl = inject('postgresAdminUrl');

const courseById = preparedQuery((db: Db, id: string) => db.selectFrom('courses').selectAll().where('id', '=', id));

/** Runs `test` on a fresh, migrated database through a pool of one connection, then drops the database. */
async function onOneConnection(test: (db: Db) => Promise<void>): Promise<void> {
  const created = await createPostgresDatabase(adminUrl!);
  const store = openPostgres(created.url, 1);
  try {
    await migrateToLatest(store.db);
    await test(store.db);
  } finally {
    await store.close();
    await created.drop();
  }
}

/** The statements prepared on the connection of a pool of one. */
async function preparedOnConnection(db: Db): Promise<{ name: string; statement: string }[]> {
  return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by name`.execute(db)).rows;
}

describe.skipIf(!adminUrl)('named statements on PostgreSQL', () => {
  it('runs a prepared query as a statement named once per connection, and nothing else', () =>
    onOneConnection(async (db) => {
      const course = await makeCourse(db);
      expect(await preparedOnConnection(db)).toEqual([]);

      expect((await courseById.executeTakeFirst(db, course.id))?.id).toBe(course.id);
      expect(await courseById.executeTakeFirst(db, 'no such course')).toBeUndefined();
      const prepared = await preparedOnConnection(db);
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^presentia_[0-9a-f]{24}$/);
      expect(prepared[0]!.statement).toContain('from "courses" where "id" = $1');
    }));

  it('runs it unnamed once a migration changed the columns it returns, on a connection that had named it', () =>
    onOneConnection(async (db) => {
      const course = await makeCourse(db);
      expect(await courseById.executeTakeFirst(db, course.id)).not.toHaveProperty('extra');
      await sql`alter table courses add column extra text default 'x'`.execute(db);
      // PostgreSQL refuses the named statement now ("cached plan must not change result type").
      expect(await courseById.executeTakeFirst(db, course.id)).toMatchObject({ id: course.id, extra: 'x' });
      expect(await courseById.executeTakeFirst(db, course.id)).toMatchObject({ id: course.id, extra: 'x' });
    }));
});
