import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../exclusive.ts';

/*
 * On PostgreSQL the history the system writes (source `system`: the study-term sweep) is kept in a
 * partition of its own, `history_system`; every other source stays in `history_main`. The table keeps
 * its name and columns and every query reads `history`: PostgreSQL reads both partitions, each through
 * its own index, merged in id order.
 *
 * Why: the sweep appends one history row per expired enrolment, 100,000 at once on the benchmark's
 * data. Four of history's indexes (person, run, run and kind, enrolment and kind) take those rows all
 * over their key range, so in a table of millions of rows the sweep touched nearly every page of each
 * of them (bench D, docs/performance.md: inserting the sweep's rows into the large history took 14 s,
 * into the partition 4 s). The system's rows all have the same shape: no actor, and the status as
 * what changed (a check says so). So the partition needs only the indexes that can find such rows:
 * person, run, enrolment and kind, instant. A filter by actor or by another kind of change reads
 * `history_main` alone (PostgreSQL excludes the partition by its check), and the run's status changes
 * in the partition are its run index's rows.
 *
 * The existing table becomes `history_main` as it is: it is renamed, its indexes with it, and the
 * parent's indexes adopt those instead of building new ones. Rows of source `system` move to the new
 * partition. Each partition has its own primary key on `id` (a key of the parent would have to
 * include `source`); ids are ULIDs, unique across both.
 *
 * SQLite has no partitions and writes the sweep's rows in memory until the commit
 * (src/repositories/study-term.ts); there this migration changes nothing.
 */

/** History's secondary indexes at this migration (name → columns), and whether the system's partition has it. */
const INDEXES: readonly (readonly [string, readonly string[], boolean])[] = [
  ['history_user_idx', ['user_id', 'id'], true],
  ['history_run_idx', ['run_id', 'id'], true],
  ['history_enrolment_field_idx', ['enrolment_id', 'field', 'id'], true],
  ['history_at_idx', ['at', 'id'], true],
  ['history_actor_idx', ['actor_id', 'id'], false],
  ['history_field_idx', ['field', 'id'], false],
  ['history_run_field_idx', ['run_id', 'field', 'id'], false],
];

/** The name of a partition's copy of a history index (`history_user_idx` → `history_main_user_idx`). */
const inPartition = (index: string, partition: 'main' | 'system') => index.replace(/^history_/, `history_${partition}_`);

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table history rename to history_main`.execute(db);
  await sql`alter index history_pkey rename to history_main_pkey`.execute(db);
  for (const [name] of INDEXES) await sql`alter index ${sql.id(name)} rename to ${sql.id(inPartition(name, 'main'))}`.execute(db);

  await sql`create table history_system (like history_main including defaults including constraints)`.execute(db);
  await sql`alter table history_system add constraint history_system_pkey primary key (id)`.execute(db);
  await sql`alter table history_system add constraint history_system_shape check (actor_id is null and field = 'status')`.execute(db);
  await sql`insert into history_system select * from history_main where source = 'system'`.execute(db);
  await sql`delete from history_main where source = 'system'`.execute(db);

  await sql`create table history (like history_main including defaults including constraints) partition by list (source)`.execute(db);
  await sql`alter table history attach partition history_system for values in ('system')`.execute(db);
  await sql`alter table history attach partition history_main default`.execute(db);
  // On the parent, an index adopts history_main's equal one and is built on history_system (named
  // after the partition like the others); the indexes the system's rows need not stay history_main's own.
  for (const [name, columns, inSystem] of INDEXES) {
    if (!inSystem) continue;
    await sql`create index ${sql.id(inPartition(name, 'system'))} on history_system (${sql.join(columns.map((c) => sql.id(c)))})`.execute(db);
    await db.schema.createIndex(name).on('history').columns([...columns]).execute();
  }
  await sql`analyze history`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`alter table history detach partition history_main`.execute(db);
  await sql`alter table history detach partition history_system`.execute(db);
  await sql`drop table history`.execute(db);
  await sql`insert into history_main select * from history_system`.execute(db);
  await sql`drop table history_system`.execute(db);
  await sql`alter table history_main rename to history`.execute(db);
  await sql`alter index history_main_pkey rename to history_pkey`.execute(db);
  for (const [name] of INDEXES) await sql`alter index ${sql.id(inPartition(name, 'main'))} rename to ${sql.id(name)}`.execute(db);
}
