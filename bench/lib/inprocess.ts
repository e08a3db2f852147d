/**
 * Measurements inside the bench process, on the app's own code: A (the participants page through the
 * whole Hono app), C (the Doorgaan save, `registerAttendance`) beside its floor (the same rows written
 * with the bare driver), and E (one page of history through `listHistory`).
 */
import { getRequestListener } from '@hono/node-server';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import pino from 'pino';
import { createApp } from '../../src/app.tsx';
import { loadConfig } from '../../src/config.ts';
import type { Store } from '../../src/db/index.ts';
import type { Role } from '../../src/db/schema.ts';
import { listHistory } from '../../src/repositories/history.ts';
import type { Actor } from '../../src/services/actor.ts';
import { registerAttendance, type RegistrationInput, type RowInput } from '../../src/services/register-attendance.ts';
import { BIG_PARTICIPANTS, CLASS_PARTICIPANTS, FIRST_CLASS_RUN, PAGE_RUN, SAVE_RUN, bigRunUser, ids, type Shape } from './dataset.ts';
import type { Dataset } from './datasets.ts';
import { TEACHER_ID, teacherHeaders } from './session.ts';
import { sample, summarize, type Summary } from './stats.ts';

export interface Counts {
  warmup: number;
  runs: number;
}

// ------------------------------------------------------------------ A

export interface PageResult {
  summary: Summary;
  bytes: number;
  rows: number;
}

/**
 * A: GET of the participants page of the 500 × 20 run, as the signed-in teacher, through the whole
 * app (`app.request`: every middleware, session, queries, rendering). As in the real server, the
 * Response class is the one @hono/node-server installs (`getRequestListener` puts it in place), which
 * hands the finished HTML string to the socket; the body is read once, to check it, not in the timed
 * runs: reading a 1.3 MB body back through a standard Response would add ~6 ms the server never spends.
 */
export async function measurePage(dataset: Dataset, store: Store, counts: Counts, runIndex = PAGE_RUN): Promise<PageResult> {
  const app = createApp({
    store,
    config: loadConfig({ DATA_DIR: dataset.dataDir, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }),
    logger: pino({ level: 'silent' }),
  });
  getRequestListener(app.fetch); // installs the server's Request and Response classes
  const path = `/teacher/runs/${ids.run(runIndex)}`;
  const first = await app.request(path, { headers: teacherHeaders });
  const body = await first.text();
  if (first.status !== 200) throw new Error(`GET ${path} answered ${first.status}: ${body.slice(0, 300)}`);
  const bytes = Buffer.byteLength(body);
  const rows = body.split('name="row"').length - 1;
  const expected = runIndex === PAGE_RUN ? [400, BIG_PARTICIPANTS] : [CLASS_PARTICIPANTS, CLASS_PARTICIPANTS];
  if (rows < expected[0]! || rows > expected[1]!) throw new Error(`participants page of ${path} shows ${rows} rows`);
  const samples = await sample(counts.warmup, counts.runs, async () => {
    const response = await app.request(path, { headers: teacherHeaders });
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  });
  return { summary: summarize(samples), bytes, rows };
}

// ------------------------------------------------------------------ E

export interface HistoryResult {
  person: Summary;
  run: Summary;
  enrolment: Summary;
  pageSize: number;
}

/**
 * E: one page of history (newest first, keyset-paginated) as the participant's and the
 * administrators' history views ask for it: by person, by run and by enrolment; each sample reads the
 * first page and the one after it.
 */
export async function measureHistory(store: Store, shape: Shape, counts: Counts): Promise<HistoryResult> {
  const pageSize = 21; // HISTORY_PAGE_SIZE + 1, as src/services/participant.ts asks
  const userId = ids.user(bigRunUser(shape, PAGE_RUN, 7));
  const runId = ids.run(PAGE_RUN);
  const enrolmentId = ids.enrolment(PAGE_RUN, 7);
  const twoPages = async (filter: { userId?: string; runId?: string; enrolmentId?: string }, minimum: number) => {
    const first = await listHistory(store.db, { ...filter, limit: pageSize });
    if (first.length < minimum) throw new Error(`history for ${JSON.stringify(filter)} has only ${first.length} rows`);
    await listHistory(store.db, { ...filter, before: first[first.length - 1]!.id, limit: pageSize });
  };
  return {
    person: summarize(await sample(counts.warmup, counts.runs, () => twoPages({ userId }, pageSize))),
    run: summarize(await sample(counts.warmup, counts.runs, () => twoPages({ runId }, pageSize))),
    enrolment: summarize(await sample(counts.warmup, counts.runs, () => twoPages({ enrolmentId }, 5))),
    pageSize,
  };
}

// ------------------------------------------------------------------ C

export interface SaveResult {
  save: Summary;
  floor: Summary;
  /** The floor's time in each table's statement(s), inside its transaction. */
  floorTables: Record<FloorTable, Summary>;
  /**
   * What each secondary index of the four tables costs the floor: the floor's median with every
   * index, less its median with that one index dropped (measured in turns, each written in a
   * transaction rolled back).
   */
  indexCosts: { table: FloorTable; index: string; ms: number }[];
  /** Median save over median floor. */
  ratio: number;
  written: { attendance: number; history: number; enrolments: number; certificates: number };
  statusesChanged: number;
  certificatesIssued: number;
}

const saveRunId = ids.run(SAVE_RUN);

/** Puts the save run back as generated: nothing recorded, everyone Ingeschreven, version 1. */
export async function resetSaveRun(store: Store): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const enrolmentIds = trx.selectFrom('enrolments').select('id').where('run_id', '=', saveRunId);
    await trx.deleteFrom('attendance').where('enrolment_id', 'in', enrolmentIds).execute();
    await trx.deleteFrom('history_main').where('run_id', '=', saveRunId).execute();
    await trx.deleteFrom('certificates').where('enrolment_id', 'in', enrolmentIds).execute();
    await trx
      .updateTable('enrolments')
      .set((eb) => ({
        status: 'enrolled',
        status_changed_at: eb.ref('enrolled_at'),
        withdrawn_on: null,
        force_majeure_note: null,
        force_majeure_file: null,
        effort: null,
        effort_comment: null,
        version: 1,
        updated_at: eb.ref('enrolled_at'),
      }))
      .where('run_id', '=', saveRunId)
      .execute();
  });
}

/**
 * The moment of the save: just after the save run's last meeting, as a teacher closing the run saves
 * (presence is only registered for meetings that have started, R2; the generated calendar may put
 * some of them after today).
 */
export async function afterLastMeeting(store: Store): Promise<Date> {
  const meetings = await store.db.selectFrom('meetings').select('ends_at').where('run_id', '=', saveRunId).execute();
  const last = meetings.reduce((max, m) => (m.ends_at > max ? m.ends_at : max), '');
  return new Date(Date.parse(last) + 60_000);
}

/**
 * The teacher's form for the save run: everyone in every meeting (nine in ten present), and 100
 * status changes: 50 Voltooid (each issues a certificate), 25 Niet geslaagd, 25 Afwezig.
 */
export async function saveInput(store: Store): Promise<RegistrationInput> {
  const enrolments = await store.db.selectFrom('enrolments').select(['id', 'version']).where('run_id', '=', saveRunId).orderBy('id').execute();
  const meetings = await store.db.selectFrom('meetings').select('id').where('run_id', '=', saveRunId).execute();
  const rows: RowInput[] = enrolments.map((e, k) => {
    const status = k < 50 ? 'completed' : k < 75 ? 'failed' : k < 100 ? 'absent' : null;
    return {
      enrolmentId: e.id,
      version: e.version,
      present: status !== 'absent' && k % 10 !== 9,
      status,
      effort: null,
      effortComment: '',
      proofNote: '',
      proofFile: null,
    };
  });
  return {
    runId: saveRunId,
    meetingIds: meetings.map((m) => m.id),
    allMeetings: true,
    ignoreMaximum: false,
    confirmEarlyCompletion: true,
    confirmOverwrites: true,
    rows,
  };
}

interface WrittenRows {
  attendance: Record<string, unknown>[];
  history: Record<string, unknown>[];
  enrolments: Record<string, unknown>[];
  certificates: Record<string, unknown>[];
}

/** Reads back everything the save wrote, each table in the order of its primary key, so the floor writes exactly the same rows. */
async function readWritten(store: Store): Promise<WrittenRows> {
  const enrolmentIds = store.db.selectFrom('enrolments').select('id').where('run_id', '=', saveRunId);
  return {
    attendance: await store.db.selectFrom('attendance').selectAll().where('enrolment_id', 'in', enrolmentIds).orderBy('enrolment_id').orderBy('meeting_id').execute(),
    history: await store.db.selectFrom('history').selectAll().where('run_id', '=', saveRunId).orderBy('id').execute(),
    enrolments: await store.db.selectFrom('enrolments').selectAll().where('run_id', '=', saveRunId).where('version', '>', 1).orderBy('id').execute(),
    certificates: await store.db.selectFrom('certificates').selectAll().where('enrolment_id', 'in', enrolmentIds).orderBy('id').execute(),
  };
}

const ATTENDANCE_COLUMNS = ['enrolment_id', 'meeting_id', 'present', 'reported_absent_at', 'study_points', 'points_override_by', 'points_override_at', 'recorded_by', 'recorded_at'];
const HISTORY_COLUMNS = ['id', 'at', 'actor_id', 'source', 'user_id', 'enrolment_id', 'run_id', 'meeting_id', 'field', 'old_value', 'new_value', 'note'];
const ENROLMENT_COLUMNS = ['status', 'status_changed_at', 'withdrawn_on', 'force_majeure_note', 'force_majeure_file', 'effort', 'effort_comment', 'version', 'updated_at'];
const CERTIFICATE_COLUMNS = ['id', 'number', 'verification_code', 'enrolment_id', 'user_id', 'course_id', 'study_points', 'completed_on', 'issued_at', 'revoked_at'];

export const FLOOR_TABLES = ['attendance', 'enrolments', 'certificates', 'history'] as const;
export type FloorTable = (typeof FLOOR_TABLES)[number];
/** The table each floor table's rows are written to: the save's history (no row of the system's) goes to `history_main`, as the app writes it. */
const WRITTEN_TO: Record<FloorTable, string> = { attendance: 'attendance', enrolments: 'enrolments', certificates: 'certificates', history: 'history_main' };
const floorTableOf = (table: string) => FLOOR_TABLES.find((t) => WRITTEN_TO[t] === table)!;
type TableTimes = Record<FloorTable, number>;

interface Floor {
  /** Writes the rows in one committed transaction; returns the time of each table's statement(s). */
  write(rows: WrittenRows): Promise<TableTimes>;
  /** The secondary indexes of the four tables: the ones a schema may choose to have or not. */
  indexes(): Promise<{ table: FloorTable; index: string }[]>;
  /** Writes the rows with `index` dropped (none: every index), in a transaction rolled back; returns its time. */
  writeWithout(index: string | null, rows: WrittenRows): Promise<number>;
  close(): Promise<void>;
}

/**
 * The floor on SQLite: better-sqlite3 prepared statements, one row per execution, one transaction,
 * each table's rows in the order of its primary key as read back (b-tree pages filled left to right).
 * It writes through the app's own connection (`Store.sqlite`), past Kysely: the same settings and
 * the same page cache as the save. A connection of its own (until 2026-12-03) had SQLite's small
 * default cache, and its writes made SQLite drop the app connection's whole cache before every save,
 * a cold start no server's save has (its own connection is the only one writing).
 */
function sqliteFloor(database: SQLite.Database): Floor {
  const insert = (table: string, columns: string[]) =>
    database.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const attendance = insert('attendance', ATTENDANCE_COLUMNS);
  const history = insert(WRITTEN_TO.history, HISTORY_COLUMNS);
  const certificates = insert('certificates', CERTIFICATE_COLUMNS);
  const enrolments = database.prepare(`UPDATE enrolments SET ${ENROLMENT_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
  const values = (row: Record<string, unknown>, columns: string[]) => columns.map((c) => row[c] ?? null);
  const timed = (times: TableTimes, table: FloorTable, work: () => void) => {
    const started = performance.now();
    work();
    times[table] = performance.now() - started;
  };
  const writeRows = (rows: WrittenRows): TableTimes => {
    const times: TableTimes = { attendance: 0, enrolments: 0, certificates: 0, history: 0 };
    timed(times, 'attendance', () => {
      for (const r of rows.attendance) attendance.run(values(r, ATTENDANCE_COLUMNS));
    });
    timed(times, 'enrolments', () => {
      for (const r of rows.enrolments) enrolments.run([...values(r, ENROLMENT_COLUMNS), r.id]);
    });
    timed(times, 'certificates', () => {
      for (const r of rows.certificates) certificates.run(values(r, CERTIFICATE_COLUMNS));
    });
    timed(times, 'history', () => {
      for (const r of rows.history) history.run(values(r, HISTORY_COLUMNS));
    });
    return times;
  };
  const write = database.transaction(writeRows);
  return {
    write: async (rows) => write(rows),
    indexes: async () =>
      (
        database
          .prepare(`SELECT tbl_name AS "table", name AS "index" FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${FLOOR_TABLES.map(() => '?').join(', ')}) ORDER BY tbl_name, name`)
          .all(...FLOOR_TABLES.map((t) => WRITTEN_TO[t])) as { table: string; index: string }[]
      ).map((r) => ({ table: floorTableOf(r.table), index: r.index })),
    writeWithout: async (index, rows) => {
      database.exec('BEGIN IMMEDIATE');
      try {
        if (index) database.exec(`DROP INDEX "${index}"`);
        const started = performance.now();
        writeRows(rows);
        return performance.now() - started;
      } finally {
        database.exec('ROLLBACK');
      }
    },
    close: async () => {}, // the app's connection: the store closes it
  };
}

/**
 * The floor on PostgreSQL: one prepared (named) statement per table, each writing all its rows from
 * arrays (unnest) in one round trip, in one transaction. One statement per row would cost a round
 * trip each (~20,000 of them) and make a floor slower than the app, which writes in batches.
 */
async function postgresFloor(url: string): Promise<Floor> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columnsOf = (rows: Record<string, unknown>[], columns: string[]) => columns.map((c) => rows.map((r) => r[c] ?? null));
  const unnestInsert = (table: string, columns: string[], types: string[]) =>
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  const text = (n: number) => Array.from({ length: n }, () => 'text');
  const queries = {
    attendance: unnestInsert('attendance', ATTENDANCE_COLUMNS, ['text', 'text', 'int', 'text', 'float8', 'text', 'text', 'text', 'text']),
    history: unnestInsert(WRITTEN_TO.history, HISTORY_COLUMNS, text(12)),
    certificates: unnestInsert('certificates', CERTIFICATE_COLUMNS, ['text', 'text', 'text', 'text', 'text', 'text', 'float8', 'text', 'text', 'text']),
    enrolments: `UPDATE enrolments AS e SET ${ENROLMENT_COLUMNS.map((c) => `${c} = v.${c}`).join(', ')}
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::text[])
        AS v(id, ${ENROLMENT_COLUMNS.join(', ')})
      WHERE e.id = v.id`,
  };
  const timed = async (times: TableTimes, table: FloorTable, values: unknown[][]) => {
    const started = performance.now();
    await client.query({ name: `bench_floor_${table}`, text: queries[table], values });
    times[table] = performance.now() - started;
  };
  const writeRows = async (rows: WrittenRows): Promise<TableTimes> => {
    const times: TableTimes = { attendance: 0, enrolments: 0, certificates: 0, history: 0 };
    await timed(times, 'attendance', columnsOf(rows.attendance, ATTENDANCE_COLUMNS));
    await timed(times, 'enrolments', columnsOf(rows.enrolments, ['id', ...ENROLMENT_COLUMNS]));
    await timed(times, 'certificates', columnsOf(rows.certificates, CERTIFICATE_COLUMNS));
    await timed(times, 'history', columnsOf(rows.history, HISTORY_COLUMNS));
    return times;
  };
  const inTransaction = async <T>(work: () => Promise<T>, end: 'COMMIT' | 'ROLLBACK'): Promise<T> => {
    await client.query('BEGIN');
    try {
      const result = await work();
      await client.query(end);
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  };
  return {
    write: (rows) => inTransaction(() => writeRows(rows), 'COMMIT'),
    indexes: async () =>
      (
        await client.query<{ table: string; index: string }>(
          // A partition's index that belongs to one of the partitioned table's (history_main's, of
          // history's) can only be dropped with it: it is listed under that index's name.
          `SELECT t.relname AS "table",
                  coalesce((SELECT p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent WHERE h.inhrelid = c.oid), c.relname) AS "index"
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
            ORDER BY 1, 2`,
          [FLOOR_TABLES.map((t) => WRITTEN_TO[t])],
        )
      ).rows.map((r) => ({ table: floorTableOf(r.table), index: r.index })),
    writeWithout: (index, rows) =>
      inTransaction(async () => {
        if (index) await client.query(`DROP INDEX "${index}"`);
        const started = performance.now();
        await writeRows(rows);
        return performance.now() - started;
      }, 'ROLLBACK'),
    close: () => client.end(),
  };
}

/**
 * C: the Doorgaan save of 500 participants × 20 meetings with 100 status changes (50 Voltooid), each
 * on the save run freshly reset; and beside each save, after another reset, the floor writing the
 * same rows, timed per table as well. Then what each secondary index of those tables costs the
 * floor. Resets and read-backs are not timed.
 */
export async function measureSave(dataset: Dataset, store: Store, counts: Counts): Promise<SaveResult> {
  const roles = (await store.db.selectFrom('user_roles').select('role').where('user_id', '=', TEACHER_ID).execute()).map((r) => r.role as Role);
  const actor: Actor = { id: TEACHER_ID, roles, source: 'teacher_form' };
  const floor = store.sqlite ? sqliteFloor(store.sqlite) : await postgresFloor(dataset.postgresUrl!);
  const saves: number[] = [];
  const floors: number[] = [];
  const tableSamples: Record<FloorTable, number[]> = { attendance: [], enrolments: [], certificates: [], history: [] };
  const indexCosts: SaveResult['indexCosts'] = [];
  let written: WrittenRows | undefined;
  let statusesChanged = 0;
  let certificatesIssued = 0;
  try {
    for (let i = 0; i < counts.warmup + counts.runs; i += 1) {
      await resetSaveRun(store);
      const input = await saveInput(store);
      const at = await afterLastMeeting(store);
      const started = performance.now();
      const outcome = await registerAttendance(store.db, actor, input, at);
      const saveMs = performance.now() - started;
      if (outcome.kind !== 'saved') throw new Error(`the save asked for confirmation: ${JSON.stringify(outcome).slice(0, 300)}`);
      statusesChanged = outcome.summary.statusesChanged;
      certificatesIssued = outcome.summary.certificatesIssued;
      if (statusesChanged !== 100 || certificatesIssued !== 50) {
        throw new Error(`expected 100 status changes and 50 certificates, got ${statusesChanged} and ${certificatesIssued}`);
      }
      written = await readWritten(store);

      await resetSaveRun(store);
      const floorStarted = performance.now();
      const tables = await floor.write(written);
      const floorMs = performance.now() - floorStarted;
      const check = await readWritten(store);
      if (check.attendance.length !== written.attendance.length || check.history.length !== written.history.length) {
        throw new Error('the floor did not write the same rows');
      }
      if (i >= counts.warmup) {
        saves.push(saveMs);
        floors.push(floorMs);
        for (const t of FLOOR_TABLES) tableSamples[t].push(tables[t]);
      }
    }
    // What each index costs: the floor rolled back with every index and without that one, in turns
    // (so that both see the same state of the caches), on the save run as reset (the rolled-back
    // writes leave it so).
    await resetSaveRun(store);
    for (const { table, index } of await floor.indexes()) {
      const withIt: number[] = [];
      const without: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const a = await floor.writeWithout(null, written!);
        const b = await floor.writeWithout(index, written!);
        if (i === 0) continue; // the first pair warms up
        withIt.push(a);
        without.push(b);
      }
      indexCosts.push({ table, index, ms: summarize(withIt).median - summarize(without).median });
    }
  } finally {
    await floor.close();
    await resetSaveRun(store);
  }
  // Every iteration left ~60,000 dead rows behind on PostgreSQL; clean them up so the next bench run
  // measures the same database (not timed).
  if (store.kind === 'postgres') {
    for (const table of ['attendance', 'history', 'certificates', 'enrolments']) await sql.raw(`VACUUM ${table}`).execute(store.db);
  }
  const save = summarize(saves);
  const floorSummary = summarize(floors);
  return {
    save,
    floor: floorSummary,
    floorTables: Object.fromEntries(FLOOR_TABLES.map((t) => [t, summarize(tableSamples[t])])) as Record<FloorTable, Summary>,
    indexCosts,
    ratio: save.median / floorSummary.median,
    written: {
      attendance: written?.attendance.length ?? 0,
      history: written?.history.length ?? 0,
      enrolments: written?.enrolments.length ?? 0,
      certificates: written?.certificates.length ?? 0,
    },
    statusesChanged,
    certificatesIssued,
  };
}

export const CLASS_RUN_PATH = `/teacher/runs/${ids.run(FIRST_CLASS_RUN)}`;
