import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openSqlite, SQLITE_FILE } from '../db/index.ts';
import { dumpTables } from '../testing/bulk.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import { runCliCaptured } from '../testing/cli.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-cli-backup-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string>) => runCliCaptured(args, env);

/** A data folder whose database has some people, a run and enrolments. */
async function dataDirWithData() {
  const dataDir = tempDir();
  const store = openSqlite(path.join(dataDir, SQLITE_FILE));
  await migrateToLatest(store.db);
  const teacher = await makeUser(store.db, ['teacher']);
  const run = await makeRun(store.db, { teacherId: teacher.id });
  for (let i = 0; i < 3; i += 1) await enrol(store.db, run, (await makeUser(store.db)).id);
  return { dataDir, store };
}

describe('backup and restore commands', () => {
  let live: Awaited<ReturnType<typeof dataDirWithData>>;
  beforeAll(async () => {
    live = await dataDirWithData();
  });
  afterAll(async () => {
    await live.store.close();
  });

  it('backs up as a separate process while the server has the database open, and restores it into a fresh DATA_DIR', async () => {
    const backupFile = path.join(tempDir(), 'presentia-2026-12-01.db');
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: live.dataDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'backup', backupFile], { cwd: root, env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Backed up .*presentia\.db to .*presentia-2026-12-01\.db \(\d+ KB, \d+ pages, \d+ ms\); its integrity check passed\.\n$/);

    const fresh = path.join(tempDir(), 'restored');
    const restored = await run(['restore', backupFile], { DATA_DIR: fresh });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`as ${path.join(fresh, SQLITE_FILE)}; its integrity check passed.`);
    expect(restored.stdout).not.toContain('kept as');
    const copy = openSqlite(path.join(fresh, SQLITE_FILE));
    try {
      expect(await dumpTables(copy)).toEqual(await dumpTables(live.store));
    } finally {
      await copy.close();
    }
  });

  it('refuses to restore while the database is in use, and restores over it once it is closed, keeping the old one', async () => {
    const { dataDir, store } = await dataDirWithData();
    const backupFile = path.join(tempDir(), 'b.db');
    const backedUp = await run(['backup', backupFile], { DATA_DIR: dataDir });
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    const inUse = await run(['restore', backupFile], { DATA_DIR: dataDir });
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('is in use by another process. Stop Presentia, then restore. Nothing was changed.');
    await store.close();
    const done = await run(['restore', backupFile], { DATA_DIR: dataDir });
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/The database that was there is kept as .*presentia\.db\.before-restore-/);
  });

  it('refuses a file that is not a backup with a clear message, status 1 and no stack trace', async () => {
    const junk = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(junk, 'not a database\n'.repeat(300));
    const target = tempDir();
    const out = await run(['restore', junk], { DATA_DIR: target });
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`${junk} is not a usable Presentia backup: SQLite cannot read it (file is not a database). Nothing was changed.\n`);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it('refuses without a database, on PostgreSQL, and with a wrong command line', async () => {
    const empty = tempDir();
    const none = await run(['backup', path.join(empty, 'x.db')], { DATA_DIR: empty });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('There is no database at');
    expect(fs.readdirSync(empty)).toEqual([]);

    const pgBackup = await run(['backup', 'x.db'], { DATA_DIR: empty, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/presentia' });
    expect(pgBackup.code).toBe(1);
    expect(pgBackup.stderr).toContain('pg_dump -Fc');
    const pgRestore = await run(['restore', 'x.dump'], { DATA_DIR: empty, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/presentia' });
    expect(pgRestore.code).toBe(1);
    expect(pgRestore.stderr).toContain('pg_restore');

    const missing = await run(['backup'], { DATA_DIR: empty });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('backup needs <file>. Usage: npm run cli -- backup <file>');
    const extra = await run(['restore', 'a.db', 'b.db'], { DATA_DIR: empty });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('restore takes only <file>; "b.db" is one too many.');
    const positional = await run(['migrate', 'now'], { DATA_DIR: empty });
    expect(positional.code).toBe(2);

    const help = await run(['backup', '--help'], { DATA_DIR: empty });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run cli -- backup <file>');
    expect(help.stdout).toContain('Arguments:\n  <file>  Where to write the copy');
    expect((await run(['--help'], { DATA_DIR: empty })).stdout).toMatch(/backup .*\n.*restore /);
  });
});
