import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';
import { migrateToLatest, nowIso, openSqlite, type Db } from '../db/index.ts';
import { createPostgresDatabase, describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import { EnrolmentRefused, enrolInRun, getRunEnrolments, removeEnrolment, removeFromWaitingList, RUN_ENROLMENTS_PAGE_SIZE } from './admin-enrolments.ts';
import { hasFreePlace } from '../domain/capacity.ts';
import { loadRunPlaces } from './run-places.ts';

async function runWithCapacity(db: Db, capacity: number | null) {
  const teacher = await makeUser(db as never, ['teacher']);
  const run = await makeRun(db as never, { teacherId: teacher.id, meetingDays: [7, 14] });
  await db.updateTable('runs').set({ capacity }).where('id', '=', run.id).execute();
  return run;
}

async function people(db: Db, n: number) {
  const out: string[] = [];
  for (let i = 0; i < n; i += 1) out.push((await makeUser(db as never)).id);
  return out;
}

async function state(db: Db, runId: string) {
  const enrolled = await db.selectFrom('enrolments').select(['user_id', 'status']).where('run_id', '=', runId).orderBy('user_id').execute();
  const waiting = await db.selectFrom('waiting_list').select('user_id').where('run_id', '=', runId).orderBy('id').execute();
  return { enrolled: enrolled.map((e) => e.user_id).sort(), waiting: waiting.map((w) => w.user_id) };
}

describeEachDatabase('administrators’ enrolments: capacity and waiting list', (store) => {
  const db = () => store().db;

  it('enrols up to the capacity and puts the rest on the waiting list in order, with history by the administrator', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const run = await runWithCapacity(db(), 2);
    const [a, b, c, d] = await people(db(), 4);
    const outcome = await enrolInRun(db(), admin, run.id, [a!, b!, c!, d!]);
    expect(outcome.placements.map((p) => p.placement)).toEqual(['enrolled', 'enrolled', 'waiting', 'waiting']);
    expect(await state(db(), run.id)).toEqual({ enrolled: [a!, b!].sort(), waiting: [c!, d!] });
    const statuses = await db().selectFrom('enrolments').select('status').where('run_id', '=', run.id).execute();
    expect(statuses.map((s) => s.status)).toEqual(['enrolled', 'enrolled']);
    const history = await db().selectFrom('history').select(['user_id', 'field', 'new_value', 'actor_id', 'source']).where('run_id', '=', run.id).orderBy('id').execute();
    expect(history).toEqual([
      { user_id: a, field: 'enrolment', new_value: 'enrolled', actor_id: admin.id, source: 'admin' },
      { user_id: b, field: 'enrolment', new_value: 'enrolled', actor_id: admin.id, source: 'admin' },
      { user_id: c, field: 'waiting_list', new_value: 'waiting', actor_id: admin.id, source: 'admin' },
      { user_id: d, field: 'waiting_list', new_value: 'waiting', actor_id: admin.id, source: 'admin' },
    ]);
    // Asked again: nobody moves, nobody is enrolled twice.
    const again = await enrolInRun(db(), admin, run.id, [a!, c!]);
    expect(again.placements.map((p) => p.placement)).toEqual(['already_enrolled', 'already_waiting']);
    expect(await state(db(), run.id)).toEqual({ enrolled: [a!, b!].sort(), waiting: [c!, d!] });
    // Full, with two waiting: a participant's run choice is offered no place here.
    expect(hasFreePlace((await db().transaction().execute((trx) => loadRunPlaces(trx, run.id)))!.places)).toBe(false);
  });

  it('removing an enrolment made by mistake keeps its history and moves the first waiting person up', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const run = await runWithCapacity(db(), 1);
    const [a, b, c] = await people(db(), 3);
    const first = await enrolInRun(db(), admin, run.id, [a!, b!, c!]);
    const enrolmentId = first.placements[0]!.enrolmentId!;
    const removed = await removeEnrolment(db(), admin, run.id, enrolmentId);
    expect(removed.promoted.map((p) => p.userId)).toEqual([b]);
    expect(await state(db(), run.id)).toEqual({ enrolled: [b!], waiting: [c!] });
    const trail = await db().selectFrom('history').select(['field', 'old_value', 'new_value', 'note']).where('enrolment_id', '=', enrolmentId).orderBy('id').execute();
    expect(trail).toEqual([
      { field: 'enrolment', old_value: null, new_value: 'enrolled', note: null },
      { field: 'enrolment', old_value: 'enrolled', new_value: null, note: 'removed' },
    ]);
    const promotedTrail = await db().selectFrom('history').select(['field', 'old_value', 'new_value', 'note']).where('user_id', '=', b!).where('run_id', '=', run.id).orderBy('id').execute();
    expect(promotedTrail.map((h) => `${h.field}:${h.old_value}->${h.new_value}:${h.note}`)).toEqual([
      'waiting_list:null->waiting:null',
      'enrolment:null->enrolled:from_waiting_list',
      'waiting_list:waiting->null:from_waiting_list',
    ]);
    await removeFromWaitingList(db(), admin, run.id, c!);
    expect(await state(db(), run.id)).toEqual({ enrolled: [b!], waiting: [] });
    await expect(removeFromWaitingList(db(), admin, run.id, c!)).rejects.toMatchObject({ reason: 'not_waiting' });
  });

  it('moves people up when a withdrawal freed a place, before anyone new', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const run = await runWithCapacity(db(), 1);
    const [a, b, c] = await people(db(), 3);
    await enrolInRun(db(), admin, run.id, [a!, b!]);
    await db().updateTable('enrolments').set({ status: 'withdrawn_valid' }).where('run_id', '=', run.id).where('user_id', '=', a!).execute();
    const outcome = await enrolInRun(db(), admin, run.id, [c!]);
    expect(outcome.promoted.map((p) => p.userId)).toEqual([b]);
    expect(outcome.placements).toEqual([{ userId: c, placement: 'waiting' }]);
  });

  it('refuses, changing nothing: a run with records, a cancelled run, unknown or deactivated people, non-administrators', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const teacher = actorOf(await makeUser(db(), ['teacher']));
    const run = await runWithCapacity(db(), null);
    const [a, gone] = await people(db(), 2);
    await db().updateTable('users').set({ deactivated_at: nowIso() }).where('id', '=', gone!).execute();
    await expect(enrolInRun(db(), teacher, run.id, [a!])).rejects.toMatchObject({ id: 'not_found_or_no_access' });
    await expect(enrolInRun(db(), admin, run.id, [a!, gone!])).rejects.toMatchObject({ reason: 'unknown_people', userIds: [gone] });
    await expect(enrolInRun(db(), admin, run.id, [])).rejects.toBeInstanceOf(EnrolmentRefused);
    expect(await state(db(), run.id)).toEqual({ enrolled: [], waiting: [] });

    const e = await enrol(db(), run, a!);
    await makeCertificate(db(), { enrolmentId: e.id, userId: a!, courseId: run.courseId });
    await expect(removeEnrolment(db(), admin, run.id, e.id)).rejects.toMatchObject({ reason: 'has_records' });
    await expect(removeEnrolment(db(), admin, 'NOPE', e.id)).rejects.toMatchObject({ id: 'not_found_or_no_access' });
    expect(await state(db(), run.id)).toEqual({ enrolled: [a!], waiting: [] });

    await db().updateTable('runs').set({ cancelled_at: nowIso() }).where('id', '=', run.id).execute();
    await expect(enrolInRun(db(), admin, run.id, [gone!])).rejects.toMatchObject({ reason: 'run_cancelled' });
  });

  it('lists a run’s enrolments a page at a time in name order, with the waiting list', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const run = await runWithCapacity(db(), RUN_ENROLMENTS_PAGE_SIZE + 5);
    const ids = [];
    for (let i = 0; i < RUN_ENROLMENTS_PAGE_SIZE + 7; i += 1) ids.push((await makeUser(db(), ['participant'], `Naam ${String(i).padStart(3, '0')}`)).id);
    await enrolInRun(db(), admin, run.id, ids);
    const first = await getRunEnrolments(db(), admin, run.id);
    expect(first.run).toMatchObject({ capacity: RUN_ENROLMENTS_PAGE_SIZE + 5, taken: RUN_ENROLMENTS_PAGE_SIZE + 5, waiting: 2 });
    expect(first.page.rows).toHaveLength(RUN_ENROLMENTS_PAGE_SIZE);
    expect(first.waiting.map((w) => w.user_name)).toEqual(['Naam 055', 'Naam 056']);
    const second = await getRunEnrolments(db(), admin, run.id, { after: first.page.next! });
    expect(second.page.rows.map((e) => e.user_name)).toEqual([50, 51, 52, 53, 54].map((i) => `Naam ${String(i).padStart(3, '0')}`));
    expect(second.page.next).toBeNull();
    const back = await getRunEnrolments(db(), admin, run.id, { before: second.page.previous! });
    expect(back.page.rows.map((e) => e.user_name)).toEqual(first.page.rows.map((e) => e.user_name));
  });

  it('gives the last place once when two administrators enrol at the same moment (in-process, separate connections)', async () => {
    const [first, second] = [actorOf(await makeUser(db(), ['admin'])), actorOf(await makeUser(db(), ['admin']))];
    for (let round = 0; round < 5; round += 1) {
      const run = await runWithCapacity(db(), 1);
      const [a, b] = await people(db(), 2);
      const outcomes = await Promise.all([enrolInRun(db(), first, run.id, [a!]), enrolInRun(db(), second, run.id, [b!])]);
      const placements = outcomes.map((o) => o.placements[0]!.placement).sort();
      expect(placements).toEqual(['enrolled', 'waiting']);
      expect((await state(db(), run.id)).enrolled).toHaveLength(1);
    }
  });
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function child(args: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/testing/enrol-child.ts', JSON.stringify(args)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`enrol-child exited ${code}: ${err}`))));
  });
}

for (const kind of ['sqlite', 'postgres'] as const) {
  it.skipIf(kind === 'postgres' && !inject('postgresAdminUrl'))(`gives the last place once when two administrators’ processes enrol at once [${kind}]`, { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'presentia-places-'));
    const created = kind === 'postgres' ? await createPostgresDatabase(inject('postgresAdminUrl')!) : undefined;
    const { openStore } = await import('../db/index.ts');
    const store = created ? openStore({ databaseUrl: created.url, dataDir: dir }) : openSqlite(path.join(dir, 'presentia.db'));
    try {
      await migrateToLatest(store.db);
      const admins = [await makeUser(store.db, ['admin']), await makeUser(store.db, ['admin'])];
      for (let round = 0; round < 2; round += 1) {
        const run = await runWithCapacity(store.db, 1);
        const [a, b] = await people(store.db, 2);
        const where = created ? { databaseUrl: created.url } : { dataDir: dir };
        const startAt = Date.now() + 2500;
        const outputs = await Promise.all([
          child({ ...where, runId: run.id, adminId: admins[0]!.id, userIds: [a], startAt }),
          child({ ...where, runId: run.id, adminId: admins[1]!.id, userIds: [b], startAt }),
        ]);
        const placements = outputs.map((o) => (JSON.parse(o) as { placement: string }[])[0]!.placement).sort();
        expect(placements).toEqual(['enrolled', 'waiting']);
        const s = await state(store.db, run.id);
        expect(s.enrolled).toHaveLength(1);
        expect(s.waiting).toHaveLength(1);
      }
    } finally {
      await store.close();
      await created?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
