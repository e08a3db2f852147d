import { PostgresAdapter, sql, type Kysely } from 'kysely';

/*
 * History keeps no foreign keys. It is an append-only record of what happened: it must never block a
 * change to what it describes, nor be cascaded away with it, and its writers copy every id from rows
 * they have just read (and locked) in the same transaction. It is also most of what a save writes: the
 * Doorgaan save of 500 × 20 appends ~18,700 history rows beside 10,000 attendance rows, and on
 * PostgreSQL the five per-row foreign-key triggers of history (actor, user, enrolment, run, meeting:
 * ~93,000 index look-ups run one by one through SPI) took more than half the database's time of the
 * whole save (bench C, docs/performance.md). The indexes that page history stay.
 *
 * PostgreSQL drops the constraints in place. SQLite cannot drop a constraint, so the table is rebuilt
 * under the same name with the same columns, check and indexes, in one transaction. Both are no-ops on
 * a database that has no history foreign keys left, so a half-recorded run can be repeated.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const constraints = await sql<{ name: string }>`
      select conname as name from pg_constraint where conrelid = 'history'::regclass and contype = 'f' order by conname`.execute(db);
    for (const { name } of constraints.rows) await db.schema.alterTable('history').dropConstraint(name).execute();
    return;
  }
  const references = await sql<{ table: string }>`select "table" from pragma_foreign_key_list('history')`.execute(db);
  if (references.rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    await createHistory(trx, 'history_rebuilt');
    await sql`insert into history_rebuilt (${sql.join(COLUMNS.map((c) => sql.ref(c)))})
      select ${sql.join(COLUMNS.map((c) => sql.ref(c)))} from history`.execute(trx);
    await trx.schema.dropTable('history').execute();
    await trx.schema.alterTable('history_rebuilt').renameTo('history').execute();
    await createIndexes(trx);
  });
}

/** Puts the foreign keys back (PostgreSQL validates them against the rows written meanwhile). */
export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const [column, target] of REFERENCES) {
      await db.schema.alterTable('history').addForeignKeyConstraint(`history_${column}_fkey`, [column], target, ['id']).execute();
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    await createHistory(trx, 'history_rebuilt', true);
    await sql`insert into history_rebuilt (${sql.join(COLUMNS.map((c) => sql.ref(c)))})
      select ${sql.join(COLUMNS.map((c) => sql.ref(c)))} from history`.execute(trx);
    await trx.schema.dropTable('history').execute();
    await trx.schema.alterTable('history_rebuilt').renameTo('history').execute();
    await createIndexes(trx);
  });
}

const COLUMNS = ['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'];

/** The foreign keys the initial migration gave history: column → referenced table. */
const REFERENCES: readonly (readonly [string, string])[] = [
  ['actor_id', 'users'],
  ['user_id', 'users'],
  ['enrolment_id', 'enrolments'],
  ['run_id', 'runs'],
  ['meeting_id', 'meetings'],
];

/** History as in the initial migration, with or without its foreign keys. */
async function createHistory(db: Kysely<any>, name: string, withReferences = false): Promise<void> {
  const ref = (column: string) => `${REFERENCES.find(([c]) => c === column)![1]}.id`;
  await db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => (withReferences ? c.references(ref('actor_id')) : c))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source in ('teacher_form', 'admin', 'system', 'import', 'api', 'participant')`),
    )
    .addColumn('user_id', 'text', (c) => (withReferences ? c.notNull().references(ref('user_id')) : c.notNull()))
    .addColumn('enrolment_id', 'text', (c) => (withReferences ? c.references(ref('enrolment_id')) : c))
    .addColumn('run_id', 'text', (c) => (withReferences ? c.references(ref('run_id')) : c))
    .addColumn('meeting_id', 'text', (c) => (withReferences ? c.references(ref('meeting_id')) : c))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('note', 'text')
    .execute();
}

/** The initial migration's history indexes (dropped with the old table on SQLite). */
async function createIndexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('history_user_idx').on('history').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('history_run_idx').on('history').columns(['run_id', 'id']).execute();
  await db.schema.createIndex('history_enrolment_idx').on('history').columns(['enrolment_id', 'id']).execute();
}
