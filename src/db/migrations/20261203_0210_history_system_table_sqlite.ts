import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../exclusive.ts';

/*
 * On SQLite, the history the system writes (source `system`: the study-term sweep) gets a table of
 * its own too, as migration 0200 gave it a partition on PostgreSQL: `history_system`, beside
 * `history_main` (the existing table, renamed). `history` becomes a view of both, so every query
 * reads `history` on both databases. SQLite flattens the view into each query and merges the two
 * tables' index scans in id order (`MERGE (UNION ALL)` in its plans), so a page of a person's or a
 * run's history still reads one page's worth of rows.
 *
 * Why: sweeping 100,000 of a million enrolments put 100,000 rows all over the key range of four of
 * history's indexes (person, run, run and kind, enrolment and kind) in a table of 5.6 million rows.
 * SQLite changed about 1 GiB of pages and held them until the commit; the insert alone took 5.8–7.0 s
 * (bench D, docs/performance.md). Into a table of its own with the four indexes the system's rows can
 * be found by (person, run, enrolment and kind, instant), holding 200,000 earlier sweep rows, the same
 * insert took 0.7–0.9 s and changed a sixteenth of the pages.
 *
 * The application writes straight into the two tables (src/repositories/history.ts, the sweep).
 * For every other statement the view behaves as PostgreSQL's partitioned table does: triggers route
 * an insert by its source and apply an update or a delete to the table that holds the row. A check
 * says what the system's table holds, as on PostgreSQL: no actor, and the status as what changed.
 * The indexes of `history_main` keep their names (SQLite cannot rename an index).
 */

const COLUMNS = ['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'] as const;

/** The indexes of the system's table (name → columns), as its partition's on PostgreSQL. */
const SYSTEM_INDEXES: readonly (readonly [string, readonly string[]])[] = [
  ['history_system_user_idx', ['user_id', 'id']],
  ['history_system_run_idx', ['run_id', 'id']],
  ['history_system_enrolment_field_idx', ['enrolment_id', 'field', 'id']],
  ['history_system_at_idx', ['at', 'id']],
];

const list = (prefix = '') => sql.raw(COLUMNS.map((c) => `${prefix}"${c}"`).join(', '));
const assignments = sql.raw(COLUMNS.map((c) => `"${c}" = new."${c}"`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`alter table history rename to history_main`.execute(db);
  await sql`create table history_system (
    id text primary key,
    at text not null,
    actor_id text,
    source text not null check (source = 'system'),
    user_id text not null,
    enrolment_id text,
    run_id text,
    meeting_id text,
    field text not null,
    old_value text,
    new_value text,
    note text,
    constraint history_system_shape check (actor_id is null and field = 'status')
  )`.execute(db);
  await sql`insert into history_system (${list()}) select ${list()} from history_main where source = 'system'`.execute(db);
  await sql`delete from history_main where source = 'system'`.execute(db);
  for (const [name, columns] of SYSTEM_INDEXES) await db.schema.createIndex(name).on('history_system').columns([...columns]).execute();

  await sql`create view history as select ${list()} from history_main union all select ${list()} from history_system`.execute(db);
  await sql`create trigger history_insert instead of insert on history begin
    insert into history_system (${list()}) select ${list('new.')} where new.source = 'system';
    insert into history_main (${list()}) select ${list('new.')} where new.source <> 'system';
  end`.execute(db);
  await sql`create trigger history_update instead of update on history begin
    update history_main set ${assignments} where id = old.id;
    update history_system set ${assignments} where id = old.id;
  end`.execute(db);
  await sql`create trigger history_delete instead of delete on history begin
    delete from history_main where id = old.id;
    delete from history_system where id = old.id;
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`drop view history`.execute(db); // its triggers go with it
  await sql`insert into history_main (${list()}) select ${list()} from history_system`.execute(db);
  await sql`drop table history_system`.execute(db);
  await sql`alter table history_main rename to history`.execute(db);
}
