import { expect, it } from 'vitest';
import type { Store } from '../db/index.ts';
import { nowIso } from '../db/index.ts';
import { readMeetingsChange } from '../domain/history-entry.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrolMany, makeRun, makeUser } from '../testing/factories.ts';
import type { Actor } from './actor.ts';
import { updateEnrolmentsIfUnchanged } from '../repositories/enrolments.ts';
import { RegistrationConflict, registerAttendance, type RegistrationInput, type RowInput } from './register-attendance.ts';

/**
 * R10/R11 under real concurrency. On SQLite the one in-process connection serialises
 * transactions; on PostgreSQL the suite's store has a pool of 4 connections, so two saves started
 * with Promise.all really run side by side in two transactions (READ COMMITTED).
 */

const PARTICIPANTS = 25;
const RACES = 12;

function row(enrolmentId: string, extra: Partial<RowInput> = {}): RowInput {
  return { enrolmentId, version: 1, present: false, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null, ...extra };
}

function save(runId: string, rows: RowInput[], extra: Partial<RegistrationInput> = {}): RegistrationInput {
  return { runId, meetingIds: [], allMeetings: false, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false, rows, ...extra };
}

type People = { first: Actor; second: Actor; admin: Actor };

/** A run of three past meetings (1 point each) taught by two teachers, with `participants` enrolled at version 1. */
async function sharedRun(store: Store, participants: number, people?: People) {
  const db = store.db;
  const { first, second, admin } = people ?? {
    first: actorOf(await makeUser(db, ['teacher'])),
    second: actorOf(await makeUser(db, ['teacher'])),
    admin: actorOf(await makeUser(db, ['admin'])),
  };
  const run = await makeRun(db, { teacherId: first.id, meetingDays: [-21, -14, -7], points: 1, maxPoints: 10 });
  await db.insertInto('run_teachers').values({ run_id: run.id, user_id: second.id }).execute();
  const enrolmentIds = await enrolMany(db, run, participants);
  return { run, first, second, admin, enrolmentIds };
}

/** Everything the run holds that a save writes, in a stable order, for exact comparison. */
async function snapshot(store: Store, runId: string) {
  const db = store.db;
  const enrolments = await db
    .selectFrom('enrolments')
    .select(['id', 'status', 'effort', 'effort_comment', 'version'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  const attendance = await db
    .selectFrom('attendance as a')
    .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
    .select(['a.enrolment_id', 'a.meeting_id', 'a.present', 'a.study_points', 'a.recorded_by'])
    .where('e.run_id', '=', runId)
    .orderBy('a.enrolment_id')
    .orderBy('a.meeting_id')
    .execute();
  const stored = await db
    .selectFrom('history')
    .select(['enrolment_id', 'meeting_id', 'field', 'old_value', 'new_value', 'actor_id'])
    .where('run_id', '=', runId)
    .execute();
  // A row of several meetings counts as one change per meeting, each with its meeting's id.
  const history = stored.flatMap((h) => readMeetingsChange(h)?.map((m) => ({ ...h, meeting_id: m.meetingId, old_value: m.oldValue, new_value: m.newValue })) ?? [h]);
  const key = (h: (typeof history)[number]) => `${h.enrolment_id}|${h.field}|${h.meeting_id ?? ''}|${h.new_value ?? ''}`;
  history.sort((a, b) => key(a).localeCompare(key(b)));
  return { enrolments, attendance, history, historyRows: stored.length };
}

/** Two ways to fill in the same page: different actors, values, meetings and row orders. */
function contenders(shared: Awaited<ReturnType<typeof sharedRun>>, second: Actor, reversed: boolean) {
  const { run, enrolmentIds } = shared;
  const [m0, m1, m2] = run.meetings;
  return [
    {
      actor: shared.first,
      // Everyone present at the first meeting, rated "good".
      input: save(run.id, enrolmentIds.map((id) => row(id, { present: true, effort: 'good' })), { meetingIds: [m0!.id] }),
    },
    {
      actor: second,
      // Everyone not present at the second and third meeting, every other one failed; rows perhaps in another order.
      input: save(
        run.id,
        (reversed ? [...enrolmentIds].reverse() : enrolmentIds).map((id, i) => row(id, { present: false, status: i % 2 === 0 ? 'failed' : null })),
        { meetingIds: [m1!.id, m2!.id] },
      ),
    },
  ];
}

describeEachDatabase('concurrent saves', (store, kind) => {
  it(`lets exactly one of two saves from the same page state win, and keeps exactly its writes (R10, R11) ×${RACES}`, async () => {
    const outcomes = { firstWon: 0, secondWon: 0 };
    for (let race = 0; race < RACES; race += 1) {
      // Alternate the second contender between a co-teacher and an administrator, and its rows
      // between the page's order and the reverse (rows taken in another order once deadlocked here).
      const reversed = race % 4 >= 2;
      const shared = await sharedRun(store(), PARTICIPANTS);
      const [a, b] = contenders(shared, race % 2 === 0 ? shared.second : shared.admin, reversed);

      const settled = await Promise.allSettled([
        registerAttendance(store().db, a!.actor, a!.input),
        registerAttendance(store().db, b!.actor, b!.input),
      ]);

      const won = settled.filter((s) => s.status === 'fulfilled');
      const lost = settled.filter((s) => s.status === 'rejected');
      expect(won, `race ${race} (${kind}): ${JSON.stringify(lost.map((l) => String(l.reason)))}`).toHaveLength(1);
      expect(won[0]!.value).toMatchObject({ kind: 'saved' });
      expect(lost).toHaveLength(1);
      const error = lost[0]!.reason as unknown;
      expect(error, String(error)).toBeInstanceOf(RegistrationConflict);
      expect((error as RegistrationConflict).changed.length).toBeGreaterThan(0);

      const winnerIndex = settled[0]!.status === 'fulfilled' ? 0 : 1;
      if (winnerIndex === 0) outcomes.firstWon += 1;
      else outcomes.secondWon += 1;
      const winner = [a, b][winnerIndex]!;

      // Replay the winner alone on an identical run: the raced run must hold exactly that.
      const alone = await sharedRun(store(), PARTICIPANTS, shared);
      const [soloA, soloB] = contenders(alone, winner.actor, reversed);
      const solo = winnerIndex === 0 ? soloA! : soloB!;
      await registerAttendance(store().db, solo.actor, solo.input);

      const raced = await snapshot(store(), shared.run.id);
      const expected = await snapshot(store(), alone.run.id);
      const rename = rekey(alone, shared);
      expect(raced.enrolments).toEqual(expected.enrolments.map((e) => ({ ...e, id: rename(e.id)! })).sort(byId));
      expect(raced.attendance.length).toBe(winnerIndex === 0 ? PARTICIPANTS : PARTICIPANTS * 2);
      expect(sorted(raced.attendance.map((x) => `${x.enrolment_id}|${x.meeting_id}|${x.present}|${x.study_points}|${x.recorded_by}`))).toEqual(
        sorted(expected.attendance.map((x) => `${rename(x.enrolment_id)}|${rename(x.meeting_id)}|${x.present}|${x.study_points}|${x.recorded_by}`)),
      );
      expect(sorted(raced.history.map((h) => `${h.enrolment_id}|${h.meeting_id}|${h.field}|${h.old_value}|${h.new_value}|${h.actor_id}`))).toEqual(
        sorted(expected.history.map((h) => `${rename(h.enrolment_id)}|${rename(h.meeting_id)}|${h.field}|${h.old_value}|${h.new_value}|${h.actor_id}`)),
      );
      expect(raced.history.length).toBe(winnerIndex === 0 ? PARTICIPANTS * 3 : PARTICIPANTS * 2 + Math.ceil(PARTICIPANTS / 2));
      // The second contender's two meetings are one attendance row per participant (R9).
      expect(raced.historyRows).toBe(winnerIndex === 0 ? PARTICIPANTS * 3 : PARTICIPANTS + Math.ceil(PARTICIPANTS / 2));
    }
    console.info(`[${kind}] ${RACES} races of two saves on one run: first won ${outcomes.firstWon}, second won ${outcomes.secondWon}; every loser got RegistrationConflict`);
  });

  it('keeps the write-time version guard behind the lock: a row whose version moved is not written', async () => {
    const shared = await sharedRun(store(), 2);
    const rows = await store().db.selectFrom('enrolments').selectAll().where('run_id', '=', shared.run.id).orderBy('id').execute();
    const at = nowIso();
    // Someone else raised the first enrolment to version 2 after this save loaded version 1.
    await store().db.updateTable('enrolments').set({ version: 2, effort: 'excellent' }).where('id', '=', rows[0]!.id).execute();
    const written = await updateEnrolmentsIfUnchanged(
      store().db,
      rows.map((r) => ({ ...r, version: 2, effort: 'insufficient' as const, updated_at: at })),
    );
    expect(written).toBe(1);
    const after = await store().db.selectFrom('enrolments').select(['version', 'effort']).where('run_id', '=', shared.run.id).orderBy('id').execute();
    expect(after).toEqual([
      { version: 2, effort: 'excellent' },
      { version: 2, effort: 'insufficient' },
    ]);
  });

  it('persists 50 concurrent saves on 50 different runs, each with its exact history', async () => {
    const runs = [];
    for (let i = 0; i < 50; i += 1) runs.push(await sharedRun(store(), 8));
    const results = await Promise.all(
      runs.map((r) =>
        registerAttendance(
          store().db,
          r.first,
          save(r.run.id, r.enrolmentIds.map((id, i) => row(id, { present: i % 2 === 0, status: i === 0 ? 'failed' : null })), { allMeetings: true }),
        ),
      ),
    );
    expect(results.every((r) => r.kind === 'saved')).toBe(true);
    for (const r of runs) {
      const state = await snapshot(store(), r.run.id);
      expect(state.attendance).toHaveLength(8 * 3);
      expect(state.enrolments.every((e) => e.version === 2)).toBe(true);
      // Per participant: attendance at 3 meetings, points at 3 meetings when present (0 → 1), plus the one status change.
      expect(state.history).toHaveLength(8 * 3 + 4 * 3 + 1);
      // Stored as one attendance row per participant and one points row per participant present (R9).
      expect(state.historyRows).toBe(8 + 4 + 1);
    }
  });
});

function sorted(values: string[]): string[] {
  return [...values].sort();
}

function byId(a: { id: string }, b: { id: string }) {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Maps ids of the replayed run onto the raced run's (enrolments by position, meetings by position). */
function rekey(from: Awaited<ReturnType<typeof sharedRun>>, to: Awaited<ReturnType<typeof sharedRun>>) {
  const map = new Map<string, string>();
  from.enrolmentIds.forEach((id, i) => map.set(id, to.enrolmentIds[i]!));
  from.run.meetings.forEach((m, i) => map.set(m.id, to.run.meetings[i]!.id));
  return (id: string | null) => (id === null ? null : (map.get(id) ?? id));
}
