import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Store } from '../db/index.ts';
import type { Database } from '../db/schema.ts';
import { enrolMany, makeRun, makeUser } from './factories.ts';

/**
 * Helpers for the reliability suites (crash, backup): a large run built with a few multi-row
 * inserts, a full dump of the database for comparing copies, and the child process that saves.
 */

/** A past run of `meetings` meetings (0.5 points each) with `participants` enrolled at version 1. */
export async function bigRun(store: Store, options: { participants: number; meetings: number }) {
  const db = store.db;
  const teacher = await makeUser(db, ['teacher']);
  const days = Array.from({ length: options.meetings }, (_, i) => i - options.meetings - 1);
  const run = await makeRun(db, { teacherId: teacher.id, meetingDays: days, points: 0.5, maxPoints: 100 });
  await enrolMany(db, run, options.participants);
  return { runId: run.id, teacherId: teacher.id };
}

const TABLES: (keyof Database)[] = [
  'users',
  'user_roles',
  'courses',
  'programmes',
  'programme_courses',
  'runs',
  'run_teachers',
  'meetings',
  'enrolments',
  'attendance',
  'certificates',
  'history',
  'sessions',
  'login_attempts',
];

/** Every row of every table, as sorted JSON lines per table: equal dumps mean equal data. */
export async function dumpTables(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await store.db.selectFrom(table).selectAll().execute();
    out[table] = rows.map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))).sort();
  }
  return out;
}

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildSave {
  /** Resolves when the child prints a line for which `test` holds (rejects if it ends first). */
  line(test: (line: string) => boolean): Promise<string>;
  kill(): void;
  /** The last progress line before the process ended, and whether it was killed. */
  exited: Promise<ChildEnd>;
}

export interface ChildEnd {
  last: string;
  killed: boolean;
  /** How long the save took, when it committed and the child said so. */
  savedMs: number | null;
  /** How many write statements the child announced (`writing <n>`). */
  writes: number;
  stderr: string;
}

/** Starts src/testing/crash-child.ts, which performs one large save of `runId` (see there). */
export function startChildSave(args: {
  dataDir?: string;
  databaseUrl?: string;
  runId: string;
  teacherId: string;
  sqliteCacheKiB?: number;
  holdMs?: number;
  stallAtWrite?: number;
  stallMs?: number;
}): ChildSave {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let buffer = '';
  let last = '';
  let stderr = '';
  let savedMs: number | null = null;
  let writes = 0;
  let killed = false;
  let ended = false;
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (killed) continue;
      last = line;
      if (line.startsWith('saved ')) savedMs = Number(line.slice(6));
      if (line.startsWith('writing ')) writes = Number(line.slice(8));
      for (const w of waiters.splice(0)) {
        if (w.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  const exited = new Promise<ChildEnd>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(guard);
      ended = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`child ended before the awaited line (last "${last}"): ${stderr}`));
      resolve({ last, killed, savedMs, writes, stderr });
    });
  });
  return {
    line: (test) =>
      ended ? Promise.reject(new Error(`child already ended (last "${last}")`)) : new Promise((resolve, reject) => waiters.push({ test, resolve, reject })),
    kill: () => {
      if (!ended) killed = child.kill('SIGKILL');
    },
    exited,
  };
}
