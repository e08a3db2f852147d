import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToLatest, openPostgres, openSqlite, type Store } from '../db/index.ts';
import { bigRun, startChildSave } from '../testing/bulk.ts';
import { createPostgresDatabase } from '../testing/databases.ts';

/**
 * R10 against a crash: a child process (src/testing/crash-child.ts) runs one large save
 * (500 participants × 20 meetings) and is killed with SIGKILL part-way. The database, reopened,
 * must be intact and hold all of the save or none of it. The first trial is not killed: it gives
 * the full save's figures and its duration, over which the kill delays of the other trials spread.
 */

const PARTICIPANTS = 500;
const MEETINGS = 20;
/** Kills spread over the save's write statements; two more trials kill at the commit (see below). */
const KILLS = { sqlite: 7, postgres: 4 } as const;
/** Of the KILLS planned at write statements, at least this many must land inside the transaction. */
const MIN_KILLS_INSIDE = { sqlite: 5, postgres: 3 } as const;
/** Processes saving at once in the multi-process trial. */
const PROCESSES = 3;

/** What the full save writes, worked out from the child's input (see crash-child.ts). */
const FULL = (() => {
  const present = Array.from({ length: PARTICIPANTS }, (_, i) => i % 4 !== 0).filter(Boolean).length;
  const effort = Array.from({ length: PARTICIPANTS }, (_, i) => i % 3 === 0).filter(Boolean).length;
  return {
    attendance: PARTICIPANTS * MEETINGS,
    // per participant one row of attendance at every meeting, one of points (present only: 0 → 0.5
    // at every meeting); status (100) + certificate issued (50) + effort
    history: PARTICIPANTS + present + 100 + 50 + effort,
    certificates: 50,
  };
})();
const NONE = { attendance: 0, history: 0, certificates: 0, versions: { 1: PARTICIPANTS } };
const ALL = { ...FULL, versions: { 2: PARTICIPANTS } };

interface Place {
  open(): Store;
  childArgs: { dataDir?: string; databaseUrl?: string };
  /** Waits until nothing of the killed child is left on the server (PostgreSQL). */
  settle(): Promise<void>;
  /** Bytes in the SQLite write-ahead log right after the kill (evidence the save had spilled). */
  walBytes(): number;
  dispose(): Promise<void>;
}

async function sqlitePlace(): Promise<Place> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presentia-crash-'));
  const file = path.join(dir, 'presentia.db');
  return {
    open: () => openSqlite(file),
    childArgs: { dataDir: dir },
    settle: async () => undefined,
    walBytes: () => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0),
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresPlace(adminUrl: string): Promise<Place> {
  const created = await createPostgresDatabase(adminUrl);
  const name = new URL(created.url).pathname.slice(1);
  return {
    open: () => openPostgres(created.url, 2),
    childArgs: { databaseUrl: created.url },
    settle: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        for (let i = 0; i < 200; i += 1) {
          const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0].n === 0) return;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error('the killed child’s PostgreSQL sessions did not end');
      } finally {
        await admin.end();
      }
    },
    walBytes: () => 0,
    dispose: created.drop,
  };
}

/** What the run holds now: counts that tell all, none or something in between; SQLite's own checks. */
async function inspect(store: Store, runId: string) {
  const db = store.db;
  const n = (row: { n: unknown } | undefined) => Number(row?.n ?? 0);
  const attendance = n(
    await db
      .selectFrom('attendance as a')
      .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('e.run_id', '=', runId)
      .executeTakeFirst(),
  );
  const history = n(await db.selectFrom('history').select((eb) => eb.fn.countAll().as('n')).where('run_id', '=', runId).executeTakeFirst());
  const certificates = n(
    await db
      .selectFrom('certificates as c')
      .innerJoin('enrolments as e', 'e.id', 'c.enrolment_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('e.run_id', '=', runId)
      .executeTakeFirst(),
  );
  const versionRows = await db
    .selectFrom('enrolments')
    .select(['version', (eb) => eb.fn.countAll().as('n')])
    .where('run_id', '=', runId)
    .groupBy('version')
    .orderBy('version')
    .execute();
  const versions = Object.fromEntries(versionRows.map((r) => [r.version, Number(r.n)]));
  let integrity = 'ok';
  if (store.kind === 'sqlite') {
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    integrity = check.rows.map((r) => r.integrity_check).join('; ');
    const fk = await sql`pragma foreign_key_check`.execute(db);
    if (fk.rows.length > 0) integrity += `; ${fk.rows.length} foreign key violations`;
  }
  return { attendance, history, certificates, versions, integrity };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  const adminUrl = inject('postgresAdminUrl');
  describe.skipIf(kind === 'postgres' && !adminUrl)(`a save killed part-way [${kind}]`, () => {
    let place: Place;
    beforeAll(async () => {
      place = kind === 'sqlite' ? await sqlitePlace() : await postgresPlace(adminUrl!);
      const store = place.open();
      await migrateToLatest(store.db);
      await store.close();
    });
    afterAll(async () => {
      await place?.dispose();
    });

    /** One trial: a fresh run, the child, the kill, then a reopened store's verdict. */
    async function trial(kill: { at: (line: string) => boolean; afterMs: number; holdMs?: number } | null, sqliteCacheKiB?: number) {
      let store = place.open();
      const run = await bigRun(store, { participants: PARTICIPANTS, meetings: MEETINGS });
      await store.close(); // the child is the only process with the database open, as in production
      const child = startChildSave({ ...place.childArgs, ...run, sqliteCacheKiB, holdMs: kill?.holdMs });
      if (kill) {
        await child.line(kill.at);
        if (kill.afterMs > 0) await new Promise((r) => setTimeout(r, kill.afterMs));
        child.kill();
      }
      const ended = await child.exited;
      if (!ended.killed && ended.savedMs === null) throw new Error(`child failed: ${ended.stderr}`);
      const wal = place.walBytes();
      await place.settle();
      store = place.open();
      try {
        return { child: ended, state: await inspect(store, run.runId), wal };
      } finally {
        await store.close();
      }
    }

    it(`holds all of the save or none of it after SIGKILL, and stays intact (R10) ×${KILLS[kind] + 2}`, async () => {
      const calibration = await trial(null);
      expect(calibration.state).toEqual({ ...ALL, integrity: 'ok' });
      const duration = calibration.child.savedMs!;
      const writes = calibration.child.writes;

      // The kill follows the child's announcement of its k-th write statement (spread over all of
      // them) after a random delay of up to one statement's average time, so it lands inside the
      // transaction however loaded the machine is. Two more trials: one kills as the last write
      // statement starts (the commit moments away), one as soon as the child reports the commit
      // (on SQLite the committed save is then still only in the WAL, which recovery must keep).
      const plans: { label: string; at: (l: string) => boolean; afterMs: number; holdMs?: number }[] = Array.from({ length: KILLS[kind] }, (_, i) => {
        const k = 1 + Math.floor((i * writes) / KILLS[kind]);
        return { label: `write ${k}/${writes}`, at: (l: string) => l === `writing ${k}`, afterMs: Math.round(Math.random() * (duration / writes)) };
      });
      plans.push({ label: `write ${writes}/${writes}`, at: (l) => l === `writing ${writes}`, afterMs: 0 });
      plans.push({ label: 'commit reported', at: (l) => l.startsWith('saved'), afterMs: 0, holdMs: 5000 });

      const outcomes: string[] = [];
      // Kills that struck while the transaction was open: the child was killed after announcing a
      // write and before reporting the commit, and nothing of the save remained.
      let insideTransaction = 0;
      for (const [i, plan] of plans.entries()) {
        // On SQLite every other trial shrinks the page cache so the open transaction spills into the
        // WAL before it commits: recovery must then ignore frames of a transaction that never committed.
        const spill = kind === 'sqlite' && i % 2 === 1;
        const { child, state, wal } = await trial(plan, spill ? 512 : undefined);
        const { integrity, ...data } = state;
        expect(integrity, `trial ${i}`).toBe('ok');
        const verdict = isEqual(data, NONE) ? 'none' : isEqual(data, ALL) ? 'all' : 'PARTIAL';
        expect(verdict, `trial ${i}: killed ${plan.afterMs} ms after ${plan.label} at "${child.last}": ${JSON.stringify(data)}`).not.toBe('PARTIAL');
        if (child.last.startsWith('saved')) expect(verdict).toBe('all');
        if (child.killed && child.last.startsWith('writing ') && verdict === 'none') insideTransaction += 1;
        const sqliteNote = kind === 'sqlite' ? ` (cache ${spill ? '512 KiB' : 'default'}, WAL at kill ${Math.round(wal / 1024)} KiB)` : '';
        outcomes.push(`${plan.label} + ${plan.afterMs} ms → ${child.killed ? 'killed' : 'finished'} at "${child.last}" → ${verdict}${sqliteNote}`);
      }
      console.info(`[${kind}] full save ${PARTICIPANTS}×${MEETINGS} took ${duration} ms in ${writes} write statements; ${insideTransaction} kills inside the transaction; kill trials:\n  ${outcomes.join('\n  ')}`);
      // A trial whose kills all came too late (after the commit) would prove nothing about R10: the
      // kills planned at the writes must, nearly all, strike inside the open transaction.
      expect(insideTransaction, `kills inside the transaction:\n  ${outcomes.join('\n  ')}`).toBeGreaterThanOrEqual(MIN_KILLS_INSIDE[kind]);
    }, 60_000);

    it('commits every one of several large saves made by separate processes at the same moment', async () => {
      // Several server processes (or the CLI beside the server) share one database. On SQLite a
      // transaction begun DEFERRED reads first and would then fail to become the writer once another
      // process had committed (SQLITE_BUSY_SNAPSHOT); each save must instead wait its turn.
      let store = place.open();
      const runs = [];
      for (let i = 0; i < PROCESSES; i += 1) runs.push(await bigRun(store, { participants: PARTICIPANTS, meetings: MEETINGS }));
      await store.close();
      const children = runs.map((run) => startChildSave({ ...place.childArgs, ...run }));
      const ends = await Promise.all(children.map((child) => child.exited));
      for (const end of ends) expect(end.last, end.stderr).toMatch(/^saved /);
      store = place.open();
      try {
        for (const run of runs) expect(await inspect(store, run.runId)).toEqual({ ...ALL, integrity: 'ok' });
      } finally {
        await store.close();
      }
    }, 60_000);
  });
}

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
