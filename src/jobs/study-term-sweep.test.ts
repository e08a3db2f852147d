import { sql, type Transaction } from 'kysely';
import { expect, it } from 'vitest';
import { advisoryKey } from '../db/exclusive.ts';
import { newId, nowIso, openPostgres, type Database, type Store } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';
import { addDays, brusselsDate } from '../domain/dates.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeCourse, makeRun, makeUser } from '../testing/factories.ts';
import { OPEN_TERM_STATUSES } from '../db/migrations/20261202_0180_open_term_index.ts';
import { SWEEPABLE_STATUSES } from '../domain/study-term.ts';
import { runStudyTermSweep, STUDY_TERM_SWEEP, type SweepOutcome } from './study-term-sweep.ts';

const today = brusselsDate(new Date());

/** An enrolment in a run of a fresh course, with its study term and status as the test needs. */
async function enrolment(store: Store, options: { status: StatusCode; termEndsOn?: string | null; enrolledAt?: string; courseTermDays?: number | null; programmeTermDays?: number | null }) {
  const db = store.db;
  const teacher = await makeUser(db, ['teacher']);
  const course = await makeCourse(db);
  if (options.courseTermDays !== undefined) await db.updateTable('courses').set({ study_term_days: options.courseTermDays }).where('id', '=', course.id).execute();
  const run = await makeRun(db, { teacherId: teacher.id, courseId: course.id });
  const participant = await makeUser(db);
  const e = await enrol(db, run, participant.id, { status: options.status });
  let programmeId: string | null = null;
  if (options.programmeTermDays !== undefined) {
    programmeId = newId();
    await db.insertInto('programmes').values({ id: programmeId, title: 'Traject', study_term_days: options.programmeTermDays, created_at: nowIso() }).execute();
  }
  await db
    .updateTable('enrolments')
    .set({ term_ends_on: options.termEndsOn ?? null, enrolled_at: options.enrolledAt ?? nowIso(), programme_id: programmeId })
    .where('id', '=', e.id)
    .execute();
  return { id: e.id, userId: participant.id, runId: run.id };
}

async function state(store: Store, ids: string[]) {
  const rows = await store.db.selectFrom('enrolments').select(['id', 'status', 'version']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

async function sweepHistory(store: Store, ids: string[]) {
  return store.db
    .selectFrom('history')
    .selectAll()
    .where('enrolment_id', 'in', ids)
    .where('field', '=', 'status')
    .orderBy('id')
    .execute();
}

/** Puts every open enrolment of earlier tests out of the sweep's reach, so counts are this test's own. */
async function settleEarlierTests(store: Store) {
  await runStudyTermSweep(store.db);
}

/**
 * Runs `work` in a transaction on `store` (another server, say) and keeps that transaction open, with
 * its locks, until `commit` is called; `commit` resolves once it has committed.
 */
async function holdOpen(store: Store, work: (trx: Transaction<Database>) => Promise<void>): Promise<{ commit: () => Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const done = store.db.transaction().execute(async (trx) => {
    await work(trx);
    holding();
    await released;
  });
  await Promise.race([held, done]);
  return {
    commit: async () => {
      release();
      await done;
    },
  };
}

const daysAgo = (n: number) => `${addDays(today, -n)}T10:00:00.000Z`;

describeEachDatabase('study-term sweep', (store, kind) => {
  it('moves open enrolments past their term to term_expired with a system history row each, and leaves the rest', async () => {
    await settleEarlierTests(store());
    const expired = await Promise.all(
      (['enrolled', 'not_started', 'started', 'run_choice_required'] as const).map((status) => enrolment(store(), { status, termEndsOn: addDays(today, -1) })),
    );
    const lastDayToday = await enrolment(store(), { status: 'enrolled', termEndsOn: today });
    const noTerm = await enrolment(store(), { status: 'enrolled', termEndsOn: null });
    const outcome = await runStudyTermSweep(store().db);
    expect(outcome).toEqual({ kind: 'done', changed: 4, today });

    const after = await state(store(), [...expired.map((e) => e.id), lastDayToday.id, noTerm.id]);
    for (const e of expired) expect(after.get(e.id)).toMatchObject({ status: 'term_expired', version: 2 });
    expect(after.get(lastDayToday.id)).toMatchObject({ status: 'enrolled', version: 1 });
    expect(after.get(noTerm.id)).toMatchObject({ status: 'enrolled', version: 1 });

    const history = await sweepHistory(store(), expired.map((e) => e.id));
    expect(history.map((h) => [h.enrolment_id, h.source, h.actor_id, h.old_value, h.new_value, h.run_id, h.user_id]).sort()).toEqual(
      expired.map((e, i) => [e.id, 'system', null, ['enrolled', 'not_started', 'started', 'run_choice_required'][i], 'term_expired', e.runId, e.userId]).sort(),
    );
    // History ids stay time-ordered ULIDs: after every id made before the sweep.
    expect(history.every((h) => h.id.length === 26 && h.id > expired[0]!.id)).toBe(true);
    // Kept in the system's own table (migrations 0200 and 0210).
    const held = await store().db.selectFrom('history_system').select('id').where('enrolment_id', 'in', expired.map((e) => e.id)).execute();
    expect(held.map((h) => h.id).sort()).toEqual(history.map((h) => h.id).sort());
  });

  it('never touches a final status (R8), however long ago its term ended', async () => {
    await settleEarlierTests(store());
    const finals: StatusCode[] = ['completed', 'failed', 'absent', 'withdrawn_invalid', 'withdrawn_valid', 'cancelled', 'term_expired', 'archived', 'exempted'];
    const rows = await Promise.all(finals.map((status) => enrolment(store(), { status, termEndsOn: addDays(today, -400) })));
    expect(await runStudyTermSweep(store().db)).toEqual({ kind: 'done', changed: 0, today });
    const after = await state(store(), rows.map((r) => r.id));
    rows.forEach((r, i) => expect(after.get(r.id)).toMatchObject({ status: finals[i], version: 1 }));
    expect(await sweepHistory(store(), rows.map((r) => r.id))).toEqual([]);
  });

  it('without a term fixed at enrolment, counts the programme’s study term, else the course’s, from the enrolment date', async () => {
    await settleEarlierTests(store());
    const courseTermPassed = await enrolment(store(), { status: 'enrolled', courseTermDays: 30, enrolledAt: daysAgo(40) });
    const courseTermRunning = await enrolment(store(), { status: 'enrolled', courseTermDays: 30, enrolledAt: daysAgo(20) });
    const programmeTermPassed = await enrolment(store(), { status: 'run_choice_required', courseTermDays: 365, programmeTermDays: 10, enrolledAt: daysAgo(20) });
    const programmeTermRunning = await enrolment(store(), { status: 'enrolled', courseTermDays: 5, programmeTermDays: 60, enrolledAt: daysAgo(20) });
    const fixedTermWins = await enrolment(store(), { status: 'enrolled', courseTermDays: 5, termEndsOn: addDays(today, 3), enrolledAt: daysAgo(20) });
    expect(await runStudyTermSweep(store().db)).toMatchObject({ kind: 'done', changed: 2 });
    const after = await state(store(), [courseTermPassed.id, courseTermRunning.id, programmeTermPassed.id, programmeTermRunning.id, fixedTermWins.id]);
    expect(after.get(courseTermPassed.id)!.status).toBe('term_expired');
    expect(after.get(programmeTermPassed.id)!.status).toBe('term_expired');
    expect(after.get(courseTermRunning.id)!.status).toBe('enrolled');
    expect(after.get(programmeTermRunning.id)!.status).toBe('enrolled');
    expect(after.get(fixedTermWins.id)!.status).toBe('enrolled');
  });

  it('is idempotent: a second sweep changes nothing and writes no history', async () => {
    await settleEarlierTests(store());
    const rows = await Promise.all([1, 2, 3].map(() => enrolment(store(), { status: 'enrolled', termEndsOn: addDays(today, -2) })));
    expect(await runStudyTermSweep(store().db)).toMatchObject({ kind: 'done', changed: 3 });
    const historyCount = async () => Number((await store().db.selectFrom('history').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await historyCount();
    expect(await runStudyTermSweep(store().db)).toMatchObject({ kind: 'done', changed: 0 });
    expect(await historyCount()).toBe(before);
    const after = await state(store(), rows.map((r) => r.id));
    for (const r of rows) expect(after.get(r.id)).toMatchObject({ status: 'term_expired', version: 2 });
  });

  if (kind === 'postgres') {
    it('does nothing while another server holds the sweep (advisory lock), and says so', async () => {
      await settleEarlierTests(store());
      const row = await enrolment(store(), { status: 'enrolled', termEndsOn: addDays(today, -1) });
      const other = openPostgres(store().location, 2);
      try {
        const holder = await holdOpen(other, async (trx) => {
          await sql`select pg_advisory_xact_lock(${advisoryKey(STUDY_TERM_SWEEP)}::bigint)`.execute(trx);
        });
        expect(await runStudyTermSweep(store().db)).toEqual({ kind: 'busy' });
        expect((await state(store(), [row.id])).get(row.id)!.status).toBe('enrolled');
        await holder.commit();
        expect(await runStudyTermSweep(store().db)).toMatchObject({ kind: 'done', changed: 1 });
      } finally {
        await other.close();
      }
    });

    it('leaves an enrolment another transaction changes while it sweeps to the next sweep, which records the status it then had', async () => {
      await settleEarlierTests(store());
      const changedMeanwhile = await enrolment(store(), { status: 'enrolled', termEndsOn: addDays(today, -1) });
      const untouched = await enrolment(store(), { status: 'enrolled', termEndsOn: addDays(today, -1) });
      const teacher = openPostgres(store().location, 2);
      try {
        const save = await holdOpen(teacher, async (trx) => {
          await trx.updateTable('enrolments').set((eb) => ({ status: 'started', version: eb('version', '+', 1) })).where('id', '=', changedMeanwhile.id).execute();
        });
        const sweep = runStudyTermSweep(store().db);
        // The sweep waits for the teacher's row; then the teacher's save commits.
        for (let waited = 0; waited < 100; waited += 1) {
          const waiting = await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(store().db);
          if (Number(waiting.rows[0]!.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await save.commit();
        expect(await sweep).toEqual({ kind: 'done', changed: 1, today });
        let after = await state(store(), [changedMeanwhile.id, untouched.id]);
        expect(after.get(changedMeanwhile.id)).toMatchObject({ status: 'started', version: 2 });
        expect(after.get(untouched.id)).toMatchObject({ status: 'term_expired', version: 2 });
        expect((await sweepHistory(store(), [changedMeanwhile.id])).filter((h) => h.source === 'system')).toEqual([]);

        expect(await runStudyTermSweep(store().db)).toEqual({ kind: 'done', changed: 1, today });
        after = await state(store(), [changedMeanwhile.id]);
        expect(after.get(changedMeanwhile.id)).toMatchObject({ status: 'term_expired', version: 3 });
        const history = (await sweepHistory(store(), [changedMeanwhile.id])).filter((h) => h.source === 'system');
        expect(history.map((h) => [h.old_value, h.new_value])).toEqual([['started', 'term_expired']]);
      } finally {
        await teacher.close();
      }
    });

    it('run by two servers at once, does the work once: every expired enrolment changes once, with one history row', async () => {
      await settleEarlierTests(store());
      const rows = await Promise.all(Array.from({ length: 20 }, () => enrolment(store(), { status: 'enrolled', termEndsOn: addDays(today, -1) })));
      const servers = [openPostgres(store().location, 2), openPostgres(store().location, 2)];
      try {
        for (let round = 0; round < 3; round += 1) {
          const outcomes: SweepOutcome[] = await Promise.all(servers.map((s) => runStudyTermSweep(s.db)));
          const changed = outcomes.reduce((n, o) => n + (o.kind === 'done' ? o.changed : 0), 0);
          expect(changed).toBe(round === 0 ? rows.length : 0);
        }
        const history = await sweepHistory(store(), rows.map((r) => r.id));
        expect(history).toHaveLength(rows.length);
        const after = await state(store(), rows.map((r) => r.id));
        for (const r of rows) expect(after.get(r.id)).toMatchObject({ status: 'term_expired', version: 2 });
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    });
  }

  it('reads the open enrolments through the partial index of migration 0180, whose statuses are the sweep’s in the same order', async () => {
    expect([...SWEEPABLE_STATUSES]).toEqual([...OPEN_TERM_STATUSES]);
    const db = store().db;
    const plan =
      kind === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan select id from enrolments where status in ('enrolled', 'not_started', 'started', 'run_choice_required') and term_ends_on < ${today}`.execute(db)).rows.map((r) => r.detail)
        : (await sql<{ 'QUERY PLAN': string }>`explain select id from enrolments where status in ('enrolled', 'not_started', 'started', 'run_choice_required') and term_ends_on < ${today}`.execute(db)).rows.map((r) => r['QUERY PLAN']);
    if (kind === 'sqlite') expect(plan.join('\n')).toContain('enrolments_open_term_idx');
    else expect(plan.join('\n')).not.toContain('enrolments_term_idx');
  });

  if (kind === 'postgres') {
    it('leaves the planner settings of a transaction it joins as they were', async () => {
      await store()
        .db.transaction()
        .execute(async (trx) => {
          const settings = () => sql<{ jit: string; hash: string; merge: string }>`select current_setting('jit') as jit, current_setting('enable_hashjoin') as hash, current_setting('enable_mergejoin') as merge`.execute(trx);
          const before = (await settings()).rows[0];
          expect((await runStudyTermSweep(trx)).kind).toBe('done');
          expect((await settings()).rows[0]).toEqual(before);
        });
    });
  }
});
