/**
 * Builds (or reuses) a training organisation of the chosen size on each chosen database, measures the
 * figures of issue 4 against their targets, prints a Markdown table per database and writes it as
 * JSON to bench/results/. Exits non-zero when something fails to run; a missed target is reported,
 * not fatal. See docs/performance.md for what each figure means.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openPostgres, openSqlite, type Store } from '../src/db/index.ts';
import { PAGE_RUN, SHAPES, class20Run, expectedCounts, ids, type DbKind, type Size } from './lib/dataset.ts';
import { benchDir, ensureDataset, type Dataset } from './lib/datasets.ts';
import { EXPORT_ROWS, measureExports } from './lib/exports.ts';
import { FLOOR_TABLES, measureHistory, measurePage, measureSave } from './lib/inprocess.ts';
import { measureApiSave } from './lib/api-save.ts';
import { H_LISTS, measureAdminLists } from './lib/admin-lists.ts';
import { measurePeopleLists } from './lib/people-lists.ts';
import { comparisonMarkdown, judge, machineInfo, targetFor, toMarkdown, writeResult, type BenchResult, type Figure } from './lib/report.ts';
import { measureFloor, measureLoad, measurePageOverHttp, measureStartup, stopServer, type RunningServer } from './lib/server.ts';
import { measureSweep } from './lib/sweep.ts';
import { openTeacherSession } from './lib/session.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    size: { type: 'string', default: 'small' },
    regenerate: { type: 'boolean', default: false },
    only: { type: 'string' },
    'b-seconds': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`npm run bench -- [options]

  --db sqlite|postgres|both   database(s) to measure (default sqlite)
  --size small|large          small: 10,000 users (CI); large: 100,000 users, 4,000,000 attendance rows (default small)
  --regenerate                rebuild the dataset even if the stored one matches
  --only A,B,C,D,E,F,G,H,I      measure only these figures (results then go to bench/data/results/, not bench/results/)
  --b-seconds N               length of the measured autocannon run for B (default 10)

PostgreSQL: BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) names the server, default postgres://postgres@127.0.0.1:5432/postgres;
the bench creates and reuses the database presentia_bench_<size> there.`);
  process.exit(0);
}

const dbs: DbKind[] = args.db === 'both' ? ['sqlite', 'postgres'] : [args.db as DbKind];
if (!dbs.every((d) => d === 'sqlite' || d === 'postgres')) throw new Error(`--db must be sqlite, postgres or both, not ${args.db}`);
const size = args.size as Size;
if (!(size in SHAPES)) throw new Error(`--size must be small or large, not ${args.size}`);
const only = new Set((args.only ?? 'A,B,C,D,E,F,G,H,I').split(',').map((s) => s.trim().toUpperCase()));
const wants = (id: string) => only.has(id);

function log(message: string) {
  process.stderr.write(`[bench] ${message}\n`);
}

async function databaseVersion(store: Store): Promise<string> {
  if (store.kind === 'sqlite') {
    const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(store.db);
    return `SQLite ${row.rows[0]!.v} (better-sqlite3)`;
  }
  const row = await sql<{ version: string; buffers: string }>`select current_setting('server_version') as version, current_setting('shared_buffers') as buffers`.execute(store.db);
  // The server's buffer cache weighs on the figures that write much (C, D): docs/operations.md.
  return `PostgreSQL ${row.rows[0]!.version} (pg; shared_buffers ${row.rows[0]!.buffers})`;
}

function figure(db: DbKind, id: string, key: string, name: string, unit: string, value: number | null, p95?: number | null, note?: string): Figure {
  const target = targetFor(db, key);
  return { id, name, unit, value, ...(p95 === undefined ? {} : { p95 }), ...(target ? { target } : {}), met: judge(value, target), ...(note ? { note } : {}) };
}

async function benchOne(db: DbKind): Promise<BenchResult> {
  const shape = SHAPES[size];
  const dataset: Dataset = await ensureDataset(db, shape, { regenerate: args.regenerate });
  const store = db === 'sqlite' ? openSqlite(dataset.sqliteFile!) : openPostgres(dataset.postgresUrl!, 10);
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  let machine;
  let server: RunningServer | undefined;
  try {
    const migrationsStarted = performance.now();
    const applied = await migrateToLatest(store.db);
    if (applied.length > 0) log(`applied ${applied.join(', ')} to the stored dataset in ${((performance.now() - migrationsStarted) / 1000).toFixed(1)} s`);
    machine = machineInfo(await databaseVersion(store));
    await openTeacherSession(store.db);

    if (wants('A')) {
      log('A: participants page, 500 × 20');
      const a = await measurePage(dataset, store, { warmup: 10, runs: 50 });
      details.A = a;
      figures.push(figure(db, 'A', 'A', 'participants page, 500 participants × 20 meetings (server time)', 'ms', a.summary.median, a.summary.p95));
    }
    if (wants('C')) {
      log('C: Doorgaan save, 500 × 20 with 100 status changes, and its floor');
      const c = await measureSave(dataset, store, { warmup: 2, runs: 10 });
      details.C = c;
      figures.push(figure(db, 'C', 'C', 'Doorgaan save, 500 × 20, 100 status changes, 50 certificates', 'ms', c.save.median, c.save.p95));
      figures.push(figure(db, 'C floor', '', `the same rows (${c.written.attendance} attendance, ${c.written.history} history, ${c.written.enrolments} enrolments, ${c.written.certificates} certificates) with bare prepared statements`, 'ms', c.floor.median, c.floor.p95));
      figures.push(figure(db, 'C/floor', 'C/floor', 'save over floor (medians)', '×', c.ratio));
      for (const t of FLOOR_TABLES) figures.push(figure(db, `C floor ${t}`, '', `the floor's statements for ${t}, inside its transaction`, 'ms', c.floorTables[t].median, c.floorTables[t].p95));
      for (const x of c.indexCosts) figures.push(figure(db, `C index ${x.index}`, '', `what ${x.table}'s index ${x.index} costs the floor (rolled back, with it less without it)`, 'ms', Math.round(x.ms * 10) / 10));
      log('C api: the same save as a JSON API registration, through the whole app in process');
      const api = await measureApiSave(dataset, store, { warmup: 2, runs: 10 });
      details.Capi = api;
      figures.push(figure(db, 'C api', 'C', `the same save through POST /api/v1/runs/{id}/registrations (${Math.round(api.bytes / 1024)} kB of JSON, token, validation, answer)`, 'ms', api.save.median, api.save.p95));
      figures.push(figure(db, 'C api/C', 'C api/C', 'API save over the form’s save (medians)', '×', api.save.median / c.save.median));
    }
    if (wants('D')) {
      log('D: study-term sweep, one in ten enrolments expiring (each sample rolled back)');
      const d = await measureSweep(store, { warmup: 1, runs: 3 });
      details.D = d;
      figures.push(figure(db, 'D', 'D', `study-term sweep, ${d.enrolments.toLocaleString('en')} enrolments, ${d.expired.toLocaleString('en')} expire`, 'ms', d.summary.median, d.summary.p95));
    }
    if (wants('E')) {
      log('E: history pages');
      const e = await measureHistory(store, shape, { warmup: 20, runs: 200 });
      details.E = e;
      figures.push(figure(db, 'E person', 'E', 'history of one person, first and next page', 'ms', e.person.median, e.person.p95));
      figures.push(figure(db, 'E run', 'E', 'history of one run, first and next page', 'ms', e.run.median, e.run.p95));
      figures.push(figure(db, 'E enrolment', 'E', 'history of one enrolment (participant view), first and next page', 'ms', e.enrolment.median, e.enrolment.p95));
    }
    if (wants('H')) {
      log(`H: administrators' lists (${H_LISTS.map((l) => l.name).join(', ')})`);
      const h = await measureAdminLists(store, shape, { warmup: 10, runs: 50 });
      details.H = h;
      for (const list of H_LISTS) figures.push(figure(db, `H ${list.name}`, 'H', list.description, 'ms', h[list.name]!.median, h[list.name]!.p95));
      log('H: administrators’ lists of people (user search, a run’s enrolments, filtered audit history)');
      const people = await measurePeopleLists(store, { warmup: 10, runs: 100 });
      details.Hpeople = people;
      const sub: [string, string, keyof Omit<typeof people, 'queries'>][] = [
        ['H user search', 'user search by name, first and next page', 'userSearch'],
        ['H run enrolments', 'a run’s enrolments (500), first and next page', 'runEnrolments'],
        ['H history run+kind', 'audit history filtered by run and kind of change, first and next page', 'historyRunKind'],
        ['H history actor+dates', 'audit history filtered by actor and date range, first and next page', 'historyActorDates'],
      ];
      for (const [id, name, key] of sub) figures.push(figure(db, id, 'H', name, 'ms', people[key].median, people[key].p95));
    }
  } finally {
    await store.close();
  }

  try {
    if (wants('G') || wants('B') || wants('F') || wants('A')) {
      log('G: start-up to first response (1 warm-up + 5 starts)');
      const g = await measureStartup(dataset, 1, wants('G') ? 5 : 1);
      server = g.server;
      if (wants('G')) {
        details.G = g.summary;
        figures.push(figure(db, 'G', 'G', `start-up to first response (${size} data)`, 'ms', g.summary.median, g.summary.p95));
      }
      if (wants('A')) {
        log('A http: the same participants page fetched over HTTP on 127.0.0.1, to the last byte');
        const ah = await measurePageOverHttp(server, `/teacher/runs/${ids.run(PAGE_RUN)}`, 10, 50);
        details.Ahttp = ah;
        figures.push(figure(db, 'A http', '', `participants page, 500 × 20, over HTTP (${Math.round(ah.bytes / 1024)} KiB, time to the last byte)`, 'ms', ah.summary.median, ah.summary.p95));
        const a = figures.find((f) => f.id === 'A')?.value;
        if (a) figures.push(figure(db, 'A http/A', 'A http/A', 'over HTTP ÷ inside the process (medians)', '×', ah.summary.median / a));
      }
      if (wants('B') || wants('F')) {
        const seconds = Number(args['b-seconds']);
        log(`B: autocannon, 16 connections, ${seconds} s on a class page (25 × 4), after a 3 s warm-up`);
        const b = await measureLoad(server, { connections: 16, seconds, warmupSeconds: 3 });
        details.B = b;
        if (b.non2xx > 0 || b.errors > 0) throw new Error(`B: ${b.non2xx} non-2xx answers and ${b.errors} errors`);
        const workers = b.processes > 1 ? `, ${b.processes - 1} workers` : ', 1 process';
        figures.push(figure(db, 'B req/s', 'B req/s', `class page 25 × 4 over HTTP, 16 connections: throughput${workers}`, 'req/s', b.requestsPerSecond));
        figures.push(figure(db, 'B p99', 'B p99', 'class page: 99th percentile latency', 'ms', b.latency.p99));
        figures.push(figure(db, 'B cpu', '', 'class page: server CPU time per request (user + system, all server processes)', 'ms', b.serverCpuMsPerRequest));
        if (wants('B')) {
          log('B floor: a bare node:http server answering the same page from memory, under the same load');
          const floor = await measureFloor(server, { connections: 16, seconds, warmupSeconds: 3 });
          details.Bfloor = floor;
          figures.push(figure(db, 'B floor', '', `the class page's ${Math.round(floor.bytesPerPage / 1024)} KiB from memory by a bare node:http server, 16 connections`, 'req/s', floor.requestsPerSecond));
          figures.push(figure(db, 'B floor cpu', '', 'the bare server: CPU time per request', 'ms', floor.serverCpuMsPerRequest));
          figures.push(figure(db, 'B/B floor', 'B/B floor', 'B req/s ÷ B floor req/s', '×', b.requestsPerSecond / floor.requestsPerSecond));
          log(`B20: the same load on the long class run's page (25 × 20)`);
          const b20 = await measureLoad(server, { connections: 16, seconds, warmupSeconds: 3, pagePath: `/teacher/runs/${ids.run(class20Run(SHAPES[size]))}` });
          details.B20 = b20;
          if (b20.non2xx > 0 || b20.errors > 0) throw new Error(`B20: ${b20.non2xx} non-2xx answers and ${b20.errors} errors`);
          figures.push(figure(db, 'B20 req/s', '', `class page 25 × 20 (${Math.round(b20.bytesPerPage / 1024)} KiB) over HTTP, 16 connections: throughput${workers}`, 'req/s', b20.requestsPerSecond));
          figures.push(figure(db, 'B20 p99', '', 'class page 25 × 20: 99th percentile latency', 'ms', b20.latency.p99));
          figures.push(figure(db, 'B20 cpu', '', 'class page 25 × 20: server CPU time per request', 'ms', b20.serverCpuMsPerRequest));
        }
        // One process: its RSS high-water mark. A cluster: the peak of the processes' PSS summed, since
        // summed RSS would count the code and libraries the workers share once per worker (details.B keeps both).
        figures.push(
          b.processes > 1
            ? figure(db, 'F', 'F', `peak server memory during B (proportional set size of the ${b.processes} processes, sampled every 100 ms)`, 'MB', b.sampledMaxPssMb)
            : figure(db, 'F', 'F', 'peak server memory (RSS high-water mark) during B', 'MB', b.peakRssMb),
        );
      }
    }
  } finally {
    if (server) await stopServer(server);
  }

  if (wants('I')) {
    if (db === 'sqlite') {
      log(`I: a run's export of ${EXPORT_ROWS.toLocaleString('en')} lines as CSV and XLSX over HTTP`);
      const i = await measureExports();
      details.I = i;
      const rows = EXPORT_ROWS.toLocaleString('en');
      figures.push(figure(db, 'I csv rows/s', 'I rows/s', `run export as CSV, ${rows} lines over HTTP: lines per second`, 'rows/s', Math.round(i.csv.rowsPerSecond)));
      figures.push(figure(db, 'I csv cpu', '', 'run export as CSV: lines per second of server CPU time (user + system)', 'rows/s', Math.round(i.csv.rowsPerCpuSecond)));
      figures.push(figure(db, 'I csv memory', 'I memory', 'run export as CSV: server memory growth (RSS peak over RSS before)', 'MB', Math.round(i.csv.memoryGrowthMb * 10) / 10));
      figures.push(figure(db, 'I xlsx rows/s', 'I rows/s', `run export as XLSX, ${rows} lines over HTTP: lines per second`, 'rows/s', Math.round(i.xlsx.rowsPerSecond)));
      figures.push(figure(db, 'I xlsx cpu', '', 'run export as XLSX: lines per second of server CPU time (user + system)', 'rows/s', Math.round(i.xlsx.rowsPerCpuSecond)));
      figures.push(figure(db, 'I xlsx memory', 'I memory', 'run export as XLSX: server memory growth (RSS peak over RSS before)', 'MB', Math.round(i.xlsx.memoryGrowthMb * 10) / 10));
    } else {
      figures.push(figure(db, 'I csv rows/s', '', 'run export, 100,000 lines', 'rows/s', null, undefined, 'measured on SQLite only'));
    }
  }

  const order = ['A', 'A http', 'A http/A', 'B req/s', 'B p99', 'B cpu', 'B floor', 'B floor cpu', 'B/B floor', 'B20 req/s', 'B20 p99', 'B20 cpu', 'C', 'C floor', 'C/floor', 'C floor attendance', 'C floor enrolments', 'C floor certificates', 'C floor history', 'C index', 'C api', 'C api/C', 'D', 'E person', 'E run', 'E enrolment', 'F', 'G', 'I csv rows/s', 'I csv cpu', 'I csv memory', 'I xlsx rows/s', 'I xlsx cpu', 'I xlsx memory'];
  // H's sub-figures come last and the C index figures after the floor's tables, each in the order measured.
  const rank = (id: string) => (id.startsWith('H ') ? order.length : order.indexOf(id.startsWith('C index ') ? 'C index' : id));
  figures.sort((x, y) => rank(x.id) - rank(y.id));
  machine!.loadAverageAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return {
    at: new Date().toISOString(),
    db,
    size,
    machine: machine!,
    dataset: {
      reused: dataset.reused,
      generatedSeconds: dataset.generatedSeconds ?? null,
      steps: dataset.steps ?? null,
      counts: dataset.counts,
      expected: expectedCounts(shape),
      location: dataset.sqliteFile ? path.relative(process.cwd(), dataset.sqliteFile) : dataset.postgresUrl,
    },
    figures,
    details,
  };
}

const results: BenchResult[] = [];
for (const db of dbs) {
  const result = await benchOne(db);
  results.push(result);
  // A partial run (--only) is kept out of the committed results, so latest-*.json stays a full run.
  const files = writeResult(args.only ? path.join(benchDir, 'data', 'results') : path.join(benchDir, 'results'), result);
  console.log(`\n${toMarkdown(result)}\n`);
  log(`wrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
}
if (results.length > 1) console.log(`\n### Side by side (${size})\n\n${comparisonMarkdown(results)}\n`);
