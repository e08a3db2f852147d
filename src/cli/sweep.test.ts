import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, type Store } from '../db/index.ts';
import { addDays, brusselsDate } from '../domain/dates.ts';
import { createPostgresDatabase } from '../testing/databases.ts';
import { enrolMany, makeRun, makeUser } from '../testing/factories.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm run cli -- sweep` as a process of its own, on the database `env` names. */
function sweep(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sweep'], { cwd: root, env: childEnv, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** How many enrolments a sweep's output says it changed (0 when another server was busy with it). */
function changedIn(stdout: string): number {
  const match = /: (\d+) enrolments? set to Studietermijn verstreken/.exec(stdout);
  if (match) return Number(match[1]);
  expect(stdout).toContain('Another server is running the study-term sweep right now; nothing was changed here.');
  return 0;
}

const EXPIRED = 30;

/** A run with EXPIRED participants whose term ended yesterday and one whose term ends today. */
async function seed(store: Store) {
  await migrateToLatest(store.db);
  const teacher = await makeUser(store.db, ['teacher']);
  const run = await makeRun(store.db, { teacherId: teacher.id });
  const ids = await enrolMany(store.db, run, EXPIRED + 1);
  const today = brusselsDate(new Date());
  await store.db.updateTable('enrolments').set({ term_ends_on: addDays(today, -1) }).where('id', 'in', ids.slice(0, EXPIRED)).execute();
  await store.db.updateTable('enrolments').set({ term_ends_on: today }).where('id', '=', ids[EXPIRED]!).execute();
  return ids;
}

async function outcome(store: Store, ids: string[]) {
  const statuses = await store.db.selectFrom('enrolments').select('status').where('id', 'in', ids).execute();
  const history = await store.db.selectFrom('history').select('enrolment_id').where('enrolment_id', 'in', ids).where('source', '=', 'system').execute();
  return { expired: statuses.filter((s) => s.status === 'term_expired').length, history: history.length };
}

describe('npm run cli -- sweep, two processes at once', { timeout: 120_000 }, () => {
  const adminUrl = inject('postgresAdminUrl');

  describe('on SQLite', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-sweep-'));
    });
    afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('changes each expired enrolment once between them, and a third run changes nothing', async () => {
      const store = openSqlite(path.join(dataDir, 'presentia.db'));
      try {
        const ids = await seed(store);
        const [a, b] = await Promise.all([sweep({ DATA_DIR: dataDir }), sweep({ DATA_DIR: dataDir })]);
        expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
        expect(changedIn(a.stdout) + changedIn(b.stdout)).toBe(EXPIRED);
        expect(await outcome(store, ids)).toEqual({ expired: EXPIRED, history: EXPIRED });
        const again = await sweep({ DATA_DIR: dataDir });
        expect(again.stdout).toContain(': 0 enrolments set to Studietermijn verstreken.');
      } finally {
        await store.close();
      }
    });
  });

  describe.skipIf(!adminUrl)('on PostgreSQL', () => {
    let url: string;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      ({ url, drop } = await createPostgresDatabase(adminUrl!));
    });
    afterAll(async () => drop());

    it('only one process does the work (advisory lock); together they change each expired enrolment once', async () => {
      const store = openPostgres(url, 2);
      try {
        const ids = await seed(store);
        const [a, b] = await Promise.all([sweep({ DATABASE_URL: url }), sweep({ DATABASE_URL: url })]);
        expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
        expect(changedIn(a.stdout) + changedIn(b.stdout)).toBe(EXPIRED);
        expect(await outcome(store, ids)).toEqual({ expired: EXPIRED, history: EXPIRED });
        const again = await sweep({ DATABASE_URL: url });
        expect(again.stdout).toContain(': 0 enrolments set to Studietermijn verstreken.');
      } finally {
        await store.close();
      }
    });
  });
});
