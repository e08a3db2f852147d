/**
 * The CSV import of 50,000 lines on SQLite (issue 9: "50,000 lines import in under
 * 10 s"), through the app's own services on a new database file: a users file of 50,000 new people,
 * then an enrolments file putting them into 100 runs of 450 places (the rest to the waiting lists).
 * Each file is staged, previewed and imported; the seconds of each step are printed as JSON.
 *
 *   node --import tsx bench/import-csv.ts [--lines 50000] [--db sqlite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, newId, nowIso, openPostgres, openSqlite } from '../src/db/index.ts';
import { insertRows } from '../src/db/bulk.ts';
import { createPostgresDatabase } from '../src/testing/databases.ts';
import { previewImport, runImport, stageImport } from '../src/services/csv-import.ts';

const { values: args } = parseArgs({ options: { lines: { type: 'string', default: '50000' }, db: { type: 'string', default: 'sqlite' } } });
const LINES = Number(args.lines);
const RUNS = 100;
const CAPACITY = Math.floor((LINES / RUNS) * 0.9);

const dir = mkdtempSync(path.join(os.tmpdir(), 'presentia-import-'));
const pgDb = args.db === 'postgres' ? await createPostgresDatabase(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres') : undefined;
const store = pgDb ? openPostgres(pgDb.url, 4) : openSqlite(path.join(dir, 'presentia.db'));
const seconds = (ms: number) => Math.round(ms / 10) / 100;
try {
  await migrateToLatest(store.db);
  const adminId = newId();
  await store.db.insertInto('users').values({ id: adminId, email: 'beheer@bench.test', name: 'Beheer', created_at: nowIso() }).execute();
  await store.db.insertInto('user_roles').values({ user_id: adminId, role: 'admin' }).execute();
  const admin = { id: adminId, roles: ['admin' as const], source: 'admin' as const };

  const users = ['\uFEFFE-mailadres;Naam;Rollen'];
  for (let i = 0; i < LINES; i += 1) users.push(`deelnemer${i}@bench.test;"Deelnemer ${i}, Test";deelnemer`);
  const usersCsv = users.join('\r\n');

  const courseId = newId();
  await store.db.insertInto('courses').values({ id: courseId, code: 'BENCH', title: 'Bench', kind: 'classroom', max_study_points: 10, version: 1, created_at: nowIso() }).execute();
  const runs = Array.from({ length: RUNS }, (_, i) => ({ id: newId(), course_id: courseId, code: `R${String(i).padStart(3, '0')}`, starts_on: '2027-01-10', ends_on: '2027-01-20', place: 'Gent', capacity: CAPACITY, created_at: nowIso() }));
  await insertRows(store.db, 'runs', ['id', 'course_id', 'code', 'starts_on', 'ends_on', 'place', 'capacity', 'created_at'], runs);
  const enrolments = ['E-mail;Uitvoering'];
  for (let i = 0; i < LINES; i += 1) enrolments.push(`deelnemer${i}@bench.test;${runs[i % RUNS]!.code}`);
  const enrolmentsCsv = enrolments.join('\r\n');

  const result: Record<string, unknown> = { db: store.kind, lines: LINES, bytes: { users: Buffer.byteLength(usersCsv), enrolments: Buffer.byteLength(enrolmentsCsv) } };
  for (const [kind, csv] of [['users', usersCsv], ['enrolments', enrolmentsCsv]] as const) {
    let t = performance.now();
    const id = await stageImport(store.db, admin, kind, `${kind}.csv`, csv);
    const stage = performance.now() - t;
    t = performance.now();
    const preview = await previewImport(store.db, admin, id);
    const previewMs = performance.now() - t;
    if (preview.counts.new !== LINES) throw new Error(`${kind}: preview ${JSON.stringify(preview.counts)}`);
    t = performance.now();
    const imported = await runImport(store.db, admin, id, 'all');
    const importMs = performance.now() - t;
    result[kind] = { stageSeconds: seconds(stage), previewSeconds: seconds(previewMs), importSeconds: seconds(importMs), counts: imported.counts, waiting: imported.waiting };
  }
  const counted = await store.db.selectFrom('enrolments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const waited = await store.db.selectFrom('waiting_list').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  result.rows = { enrolments: Number(counted.n), waiting: Number(waited.n) };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await store.close();
  await pgDb?.drop();
  rmSync(dir, { recursive: true, force: true });
}
