/**
 * I: a run's export of 100,000 lines (5,000 participants × 20 meetings) downloaded from the real
 * server as CSV and as XLSX: lines per second (first request to last byte) and how far the server's
 * resident memory rises above what it was before the download (sampled every 20 ms). The small and
 * large datasets have no run that big, so the figure builds one in a database of its own
 * (bench/data/export-i/), taught by the bench teacher, whose session makes the requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { migrateToLatest, openSqlite, SQLITE_FILE } from '../../src/db/index.ts';
import { insertRows } from '../../src/db/bulk.ts';
import { dataDir, type Dataset } from './datasets.ts';
import { startServer, stopServer } from './server.ts';
import { openTeacherSession, teacherHeaders, TEACHER_ID } from './session.ts';

export const EXPORT_PARTICIPANTS = 5_000;
export const EXPORT_MEETINGS = 20;
export const EXPORT_ROWS = EXPORT_PARTICIPANTS * EXPORT_MEETINGS;
const RUN_ID = 'export-run';

/** Builds the export run's database afresh: a teacher, a run of 20 meetings, 5,000 participants with all attendance recorded. */
async function buildExportDatabase(folder: string): Promise<void> {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const store = openSqlite(path.join(folder, SQLITE_FILE));
  try {
    const db = store.db;
    await migrateToLatest(db);
    const at = new Date().toISOString();
    await db.insertInto('users').values({ id: TEACHER_ID, email: 'docent@bench.test', name: 'Docent Bench', password_hash: null, locale: null, created_at: at, anonymised_at: null }).execute();
    await db.insertInto('user_roles').values({ user_id: TEACHER_ID, role: 'teacher' }).execute();
    await db
      .insertInto('courses')
      .values({ id: 'export-course', code: 'EXP', title: 'Exportcursus', kind: 'classroom', max_study_points: 40, study_term_days: null, version: 1, replaces_course_id: null, knowledge_centre_url: null, elearning_url: null, archived_at: null, cancelled_at: null, created_at: at })
      .execute();
    await db.insertInto('runs').values({ id: RUN_ID, course_id: 'export-course', code: 'EXP-1', starts_on: '2026-01-05', ends_on: '2026-05-18', place: 'Gent', capacity: null, cancelled_at: null, created_at: at }).execute();
    await db.insertInto('run_teachers').values({ run_id: RUN_ID, user_id: TEACHER_ID }).execute();
    const meetings = Array.from({ length: EXPORT_MEETINGS }, (_, i) => {
      const day = new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10);
      return { id: `m${String(i).padStart(2, '0')}`, run_id: RUN_ID, starts_at: `${day}T08:00:00.000Z`, ends_at: `${day}T11:00:00.000Z`, place: 'Gent', study_points: 1.5 };
    });
    await db.insertInto('meetings').values(meetings).execute();
    const users = Array.from({ length: EXPORT_PARTICIPANTS }, (_, i) => ({
      id: `p${String(i).padStart(5, '0')}`,
      email: `deelnemer${i}@bench.test`,
      name: `Deelnemer ${String(i).padStart(5, '0')} Ŀøŋğ Ñåmé`,
      password_hash: null,
      locale: null,
      created_at: at,
      anonymised_at: null,
    }));
    await insertRows(db, 'users', Object.keys(users[0]!), users);
    const enrolments = users.map((u, i) => ({
      id: `e${u.id}`,
      user_id: u.id,
      course_id: 'export-course',
      run_id: RUN_ID,
      programme_id: null,
      status: i % 10 === 0 ? 'completed' : 'started',
      status_changed_at: at,
      enrolled_at: at,
      term_ends_on: null,
      withdrawn_on: null,
      force_majeure_note: null,
      force_majeure_file: null,
      effort: i % 3 === 0 ? 'good' : null,
      effort_comment: i % 7 === 0 ? 'Stelde sterke vragen; "goed" voorbereid' : null,
      version: 1,
      updated_at: at,
    }));
    await insertRows(db, 'enrolments', Object.keys(enrolments[0]!), enrolments);
    const attendance = enrolments.flatMap((e, i) =>
      meetings.map((m, j) => ({
        enrolment_id: e.id,
        meeting_id: m.id,
        present: (i + j) % 9 === 0 ? 0 : 1,
        reported_absent_at: null,
        study_points: (i + j) % 9 === 0 ? 0 : 1.5,
        points_override_by: null,
        points_override_at: null,
        recorded_by: TEACHER_ID,
        recorded_at: at,
      })),
    );
    await insertRows(db, 'attendance', Object.keys(attendance[0]!), attendance);
    await openTeacherSession(db);
  } finally {
    await store.close();
  }
}

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
}

export interface ExportMeasurement {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** The server's CPU time for the download, and lines per CPU second: what the export costs whatever else the machine runs. */
  serverCpuSeconds: number;
  rowsPerCpuSecond: number;
  bytes: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  memoryGrowthMb: number;
}

/** Downloads one export, reading it as a browser would, while sampling the server's memory. */
async function download(port: number, pid: number, file: 'export.csv' | 'export.xlsx'): Promise<ExportMeasurement & { body: Buffer }> {
  const before = rssKb(pid);
  let peak = before;
  const poll = setInterval(() => {
    peak = Math.max(peak, rssKb(pid));
  }, 20);
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/teacher/runs/${RUN_ID}/${file}`, { headers: teacherHeaders });
    if (response.status !== 200) throw new Error(`${file} answered ${response.status}`);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body!) chunks.push(Buffer.from(chunk));
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, rssKb(pid));
    const cpu = cpuSeconds(pid) - cpuBefore;
    const body = Buffer.concat(chunks);
    return {
      rows: EXPORT_ROWS,
      seconds,
      rowsPerSecond: EXPORT_ROWS / seconds,
      serverCpuSeconds: cpu,
      rowsPerCpuSecond: EXPORT_ROWS / cpu,
      bytes: body.length,
      rssBeforeMb: before / 1024,
      rssPeakMb: peak / 1024,
      memoryGrowthMb: (peak - before) / 1024,
      body,
    };
  } finally {
    clearInterval(poll);
  }
}

/** Downloads a file `SAMPLES` times: the sample of median time, with the largest memory growth of all. */
async function measured(port: number, pid: number, file: 'export.csv' | 'export.xlsx'): Promise<ExportMeasurement & { body: Buffer }> {
  const samples = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await download(port, pid, file));
  const median = [...samples].sort((a, b) => a.seconds - b.seconds)[Math.floor(SAMPLES / 2)]!;
  const worst = samples.reduce((a, b) => (b.memoryGrowthMb > a.memoryGrowthMb ? b : a));
  return { ...median, rssBeforeMb: worst.rssBeforeMb, rssPeakMb: worst.rssPeakMb, memoryGrowthMb: worst.memoryGrowthMb };
}

const SAMPLES = 3;

/**
 * I, on SQLite: builds the export run, starts the server on it, warms up once, then downloads CSV and
 * XLSX three times each: the median time and the largest memory growth.
 */
export async function measureExports(): Promise<{ csv: ExportMeasurement; xlsx: ExportMeasurement }> {
  const folder = path.join(dataDir, 'export-i');
  await buildExportDatabase(folder);
  const server = await startServer({ dataDir: folder } as Dataset, 'warn');
  try {
    const pid = server.child.pid!;
    // Warm-up: loads the export code and lets the JIT settle, so the measured downloads are steady state.
    await download(server.port, pid, 'export.csv');
    await download(server.port, pid, 'export.xlsx');
    const { body: csvBody, ...csv } = await measured(server.port, pid, 'export.csv');
    const lines = csvBody.toString('utf8').split('\r\n').filter((l) => l !== '').length;
    if (lines !== EXPORT_ROWS + 1) throw new Error(`the CSV export had ${lines} lines; expected ${EXPORT_ROWS + 1}`);
    const { body: xlsxBody, ...xlsx } = await measured(server.port, pid, 'export.xlsx');
    if (xlsxBody.subarray(0, 2).toString() !== 'PK') throw new Error('the XLSX export is not a zip file');
    return { csv, xlsx };
  } finally {
    await stopServer(server);
  }
}
