import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, SQLITE_FILE, type Store } from '../db/index.ts';
import { bigRun, dumpTables, startChildSave } from '../testing/bulk.ts';
import { createPostgresDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeRun, makeUser } from '../testing/factories.ts';
import { BackupRefused, backupSqlite, restoreSqlite } from './backup.ts';
import { registerAttendance, type RowInput } from './register-attendance.ts';

const dirs: string[] = [];
const stores: Store[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-backup-'));
  dirs.push(dir);
  return dir;
}
function open(dataDir: string): Store {
  const store = openSqlite(path.join(dataDir, SQLITE_FILE));
  stores.push(store);
  return store;
}
async function closeAll() {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
}
afterEach(closeAll);
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A small but complete data set: users, a run, enrolments, a save with attendance, history, a certificate. */
async function someData(store: Store) {
  const teacher = await makeUser(store.db, ['teacher']);
  const run = await makeRun(store.db, { teacherId: teacher.id, meetingDays: [-7, -3] });
  const rows: RowInput[] = [];
  for (let i = 0; i < 5; i += 1) {
    const user = await makeUser(store.db, ['participant'], `Deelnemer ${i} — Ærø`);
    const e = await enrol(store.db, run, user.id);
    rows.push({ enrolmentId: e.id, version: 1, present: i !== 2, status: i === 0 ? 'completed' : null, effort: 'good', effortComment: 'Actief', proofNote: '', proofFile: null });
  }
  const base = { ignoreMaximum: false, confirmEarlyCompletion: true, confirmOverwrites: true };
  await registerAttendance(store.db, actorOf(teacher), { runId: run.id, meetingIds: [], allMeetings: true, rows, ...base });
}

const saveEveryone = (run: { runId: string }, enrolmentIds: string[]) => ({
  runId: run.runId,
  meetingIds: [],
  allMeetings: true,
  ignoreMaximum: false,
  confirmEarlyCompletion: true,
  confirmOverwrites: true,
  rows: enrolmentIds.map((id, i) => ({ enrolmentId: id, version: 1, present: i % 2 === 0, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null })),
});

async function enrolmentIdsOf(store: Store, runId: string) {
  return (await store.db.selectFrom('enrolments').select('id').where('run_id', '=', runId).orderBy('id').execute()).map((e) => e.id);
}

describe('SQLite backup and restore', () => {
  it('backs up while a save on the same connection is under way, and restores exactly the copy', async () => {
    const live = tempDir();
    const store = open(live);
    await migrateToLatest(store.db);
    await someData(store);
    const run = await bigRun(store, { participants: 300, meetings: 10 });
    const before = await dumpTables(store);

    // Start the large save; once its first write statement runs (inside its transaction), back up.
    const { plugin, started } = firstWrite();
    const teacher = { id: run.teacherId, roles: ['teacher'] as const, source: 'teacher_form' as const };
    const save = registerAttendance(store.db.withPlugin(plugin), teacher, saveEveryone(run, await enrolmentIdsOf(store, run.runId)));
    await started;
    const backupFile = path.join(tempDir(), 'nested', 'presentia-backup.db');
    const [saved, backup] = await Promise.all([save, backupSqlite(store, backupFile, { pagesPerStep: 20 })]);
    expect(saved.kind).toBe('saved');
    expect(backup.bytes).toBeGreaterThan(0);
    const after = await dumpTables(store);
    expect(after.attendance!.length).toBe(before.attendance!.length + 3000);

    // Restore into a fresh DATA_DIR: the data is exactly one of the two committed states.
    const fresh = tempDir();
    const restored = await restoreSqlite(backupFile, fresh);
    expect(restored).toEqual({ database: path.join(fresh, SQLITE_FILE), previous: null });
    const copy = open(fresh);
    const copied = await dumpTables(copy);
    const state = isEqual(copied, before) ? 'before' : isEqual(copied, after) ? 'after' : 'NEITHER';
    expect(state).not.toBe('NEITHER');
    expect(await integrity(copy)).toBe('ok');
    console.info(`[sqlite] backup taken during a save on the same connection holds the state ${state} the save (${backup.pages} pages, ${backup.milliseconds} ms)`);
  });

  it('backs up from another process while the writer commits a large save, consistently', async () => {
    const live = tempDir();
    let store = open(live);
    await migrateToLatest(store.db);
    await someData(store);
    const run = await bigRun(store, { participants: 500, meetings: 20 });
    const before = await dumpTables(store);
    await store.close();

    // The child plays the running server; this process plays `presentia backup` (its own connection).
    // A small page cache makes the child's open transaction spill into the WAL: the copy must ignore
    // those frames. The child stands still before its fifth write statement (the attendance written,
    // the history not yet), its transaction open, while this process copies.
    const child = startChildSave({ dataDir: live, ...run, sqliteCacheKiB: 512, stallAtWrite: 5, stallMs: 2_000 });
    await child.line((l) => l === 'writing 5');
    const walDuring = fs.statSync(path.join(live, `${SQLITE_FILE}-wal`)).size;
    expect(walDuring).toBeGreaterThan(0); // uncommitted pages of the save are in the log
    const cli = open(live);
    const during = await backupSqlite(cli, path.join(live, 'backups', 'during.db'));
    const ended = await child.exited;
    expect(ended.savedMs).not.toBeNull();
    const after = await backupSqlite(cli, path.join(live, 'backups', 'after.db'));
    await cli.close();

    store = open(live);
    const final = await dumpTables(store);
    const states: string[] = [];
    for (const file of [during.file, after.file]) {
      const target = tempDir();
      await restoreSqlite(file, target);
      const copy = open(target);
      expect(await integrity(copy)).toBe('ok');
      const copied = await dumpTables(copy);
      states.push(isEqual(copied, before) ? 'before' : isEqual(copied, final) ? 'after' : 'NEITHER');
    }
    // Taken while the save was writing: the state before it; taken after: exactly the live data.
    expect(states).toEqual(['before', 'after']);
    console.info(
      `[sqlite] backup from a second process while the save wrote (${Math.round(walDuring / 1024)} KiB uncommitted in the WAL): ${during.pages} pages in ${during.milliseconds} ms, state before the save`,
    );
  });

  it('puts the current database aside when restoring over it, and refuses while it is open', async () => {
    const live = tempDir();
    const store = open(live);
    await migrateToLatest(store.db);
    await someData(store);
    const backupFile = path.join(tempDir(), 'b.db');
    await backupSqlite(store, backupFile);
    const snapshot = await dumpTables(store);
    await someData(store); // changes after the backup, lost by the restore but kept aside

    await expect(restoreSqlite(backupFile, live)).rejects.toThrow(/in use by another process.*Stop Presentia/);
    expect(await dumpTables(store)).not.toEqual(snapshot); // untouched
    const changed = await dumpTables(store);
    await store.close();

    const result = await restoreSqlite(backupFile, live, { now: new Date('2026-12-01T10:00:00Z') });
    expect(result.previous).toBe(path.join(live, `${SQLITE_FILE}.before-restore-2026-12-01T10-00-00-000Z`));
    const restored = open(live);
    expect(await dumpTables(restored)).toEqual(snapshot);
    const aside = openSqlite(result.previous!);
    stores.push(aside);
    expect(await dumpTables(aside)).toEqual(changed);
  });

  it('refuses a file that is not a Presentia backup, and changes nothing', async () => {
    const live = tempDir();
    const store = open(live);
    await migrateToLatest(store.db);
    await someData(store);
    const good = path.join(tempDir(), 'good.db');
    await backupSqlite(store, good);
    const current = await dumpTables(store);
    await store.close();

    const dir = tempDir();
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'this is not a database\n'.repeat(500));
    const truncated = path.join(dir, 'truncated.db');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, Math.floor(fs.statSync(good).size / 2)));
    const damaged = path.join(dir, 'damaged.db');
    const bytes = Buffer.from(fs.readFileSync(good));
    const pageSize = bytes.readUInt16BE(16);
    for (let page = 2; page * pageSize < bytes.length; page += 3) bytes.fill(0x5a, page * pageSize + 8, page * pageSize + 64);
    fs.writeFileSync(damaged, bytes);
    const foreign = path.join(dir, 'other-app.db');
    const other = openSqlite(foreign);
    await other.db.schema.createTable('things').addColumn('id', 'text').execute();
    await other.close();
    for (const suffix of ['-wal', '-shm']) fs.rmSync(foreign + suffix, { force: true });

    await expect(restoreSqlite(text, live)).rejects.toThrow(/notes\.txt is not a usable Presentia backup: SQLite cannot read it \(file is not a database\)\. Nothing was changed\./);
    await expect(restoreSqlite(truncated, live)).rejects.toThrow(/truncated\.db is not a usable Presentia backup/);
    await expect(restoreSqlite(damaged, live)).rejects.toThrow(/damaged\.db is not a usable Presentia backup: (SQLite's integrity check reports|SQLite cannot read it)/);
    await expect(restoreSqlite(foreign, live)).rejects.toThrow(/not a Presentia database \(no table kysely_migration/);
    await expect(restoreSqlite(path.join(dir, 'missing.db'), live)).rejects.toThrow(/No backup file at/);
    await expect(restoreSqlite(text, live)).rejects.toBeInstanceOf(BackupRefused);

    expect(fs.readdirSync(live).sort()).toEqual([SQLITE_FILE]);
    expect(await dumpTables(open(live))).toEqual(current);
  });

  it('refuses PostgreSQL, pointing to pg_dump and pg_restore', async () => {
    const pgStore = openPostgres('postgres://postgres@127.0.0.1:1/never-connected');
    await expect(backupSqlite(pgStore, path.join(tempDir(), 'x.db'))).rejects.toThrow(/PostgreSQL.*pg_dump -Fc/);
    await pgStore.close();
    await expect(restoreSqlite('/nonexistent.db', tempDir(), { databaseUrl: 'postgres://db/presentia' })).rejects.toThrow(/PostgreSQL.*pg_restore/);
  });
});

const adminUrl = inject('postgresAdminUrl');
const hasPgTools = (() => {
  try {
    execFileSync('pg_dump', ['--version'], { stdio: 'ignore' });
    execFileSync('pg_restore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('PostgreSQL backup tools', () => {
  // Without them the suite below is skipped, which a developer's machine may allow; CI may not.
  it.runIf(process.env.CI === 'true')('are installed under CI=true, so the PostgreSQL backup test cannot be skipped there', () => {
    expect(hasPgTools, 'pg_dump and pg_restore are required under CI=true (apt-get install postgresql-client)').toBe(true);
  });
});

describe.skipIf(!adminUrl || !hasPgTools)('PostgreSQL backup and restore with the commands in docs/operations.md', () => {
  it('pg_dump -Fc while a save is under way, pg_restore into a fresh database: data identical to a committed state', async () => {
    const source = await createPostgresDatabase(adminUrl!);
    const target = await createPostgresDatabase(adminUrl!);
    const dump = path.join(tempDir(), 'presentia.dump');
    const store = openPostgres(source.url, 4);
    let copy: Store | undefined;
    try {
      await migrateToLatest(store.db);
      await someData(store);
      const run = await bigRun(store, { participants: 300, meetings: 10 });
      const before = await dumpTables(store);
      const teacher = { id: run.teacherId, roles: ['teacher'] as const, source: 'teacher_form' as const };
      const { plugin, started } = firstWrite();
      const save = registerAttendance(store.db.withPlugin(plugin), teacher, saveEveryone(run, await enrolmentIdsOf(store, run.runId)));
      await started;
      await Promise.all([save, promisify(execFile)('pg_dump', ['-Fc', '-f', dump, source.url])]);
      const after = await dumpTables(store);

      execFileSync('pg_restore', ['--no-owner', '-d', target.url, dump]);
      copy = openPostgres(target.url, 2);
      const copied = await dumpTables(copy);
      const state = isEqual(copied, before) ? 'before' : isEqual(copied, after) ? 'after' : 'NEITHER';
      expect(state).not.toBe('NEITHER');
      console.info(`[postgres] pg_dump taken during a save restored the state ${state} the save`);

      // The documented restore over an existing database (app stopped): back to the dump's state.
      await store.close();
      await promisify(execFile)('pg_restore', ['--clean', '--if-exists', '--no-owner', '-d', source.url, dump]);
      const over = openPostgres(source.url, 2);
      try {
        expect(isEqual(await dumpTables(over), copied)).toBe(true);
      } finally {
        await over.close();
      }
    } finally {
      await copy?.close();
      await store.close();
      await source.drop();
      await target.drop();
    }
  });
});

/** A plugin that resolves `started` when the first INSERT of a save is about to run, inside its transaction. */
function firstWrite() {
  let resolve!: () => void;
  const started = new Promise<void>((r) => (resolve = r));
  const plugin: KyselyPlugin = {
    transformQuery: (q) => {
      if (q.node.kind === 'InsertQueryNode') resolve();
      return q.node;
    },
    transformResult: async (r) => r.result,
  };
  return { plugin, started };
}

async function integrity(store: Store): Promise<string> {
  return String(store.sqlite!.pragma('integrity_check', { simple: true }));
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
