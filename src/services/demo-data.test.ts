import { verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.ts';
import { addDays, brusselsDate, daysBetween } from '../domain/dates.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';
import { proposeWithdrawnStatus, WITHDRAWAL_NOTICE_DAYS } from '../domain/withdrawal.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { queryCounter } from '../testing/query-counter.ts';
import type { Actor } from './actor.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, seedDemoIfEmpty, type DemoAccount } from './demo-data.ts';
import { isBelgianPublicHoliday, weekdayIndex } from './demo/calendar.ts';
import { DEMO_PARTICIPANT_EMAIL, SECOND_TEACHER, TEACHER } from './demo/people.ts';
import { buildDemo } from './demo/scenario.ts';
import { getParticipantsView, listMyRuns } from './teacher-runs.ts';
import { loadManagedRun } from './run-access.ts';

const brusselsClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

describeEachDatabase('demo data', (store) => {
  const db = () => store().db;
  const now = new Date();
  const nowIso = now.toISOString();
  let accounts: DemoAccount[] | undefined;
  const inserts = queryCounter('InsertQueryNode');

  beforeAll(async () => {
    accounts = await seedDemoIfEmpty(db().withPlugin(inserts.plugin), now);
  });

  async function userId(email: string): Promise<string> {
    return (await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  }

  async function actor(email: string, roles: Role[]): Promise<Actor> {
    return { id: await userId(email), roles, source: 'teacher_form' };
  }

  /** Runs taught by the user, with meetings and enrolments, as plain rows. */
  async function runsTaughtBy(email: string) {
    const id = await userId(email);
    const runs = await db()
      .selectFrom('runs as r')
      .innerJoin('run_teachers as rt', 'rt.run_id', 'r.id')
      .innerJoin('courses as c', 'c.id', 'r.course_id')
      .select(['r.id', 'r.code', 'r.starts_on', 'c.kind', 'c.max_study_points'])
      .where('rt.user_id', '=', id)
      .execute();
    return Promise.all(
      runs.map(async (run) => ({
        ...run,
        meetings: await db().selectFrom('meetings').selectAll().where('run_id', '=', run.id).orderBy('starts_at').execute(),
        enrolments: await db()
          .selectFrom('enrolments as e')
          .innerJoin('users as u', 'u.id', 'e.user_id')
          .select(['e.id', 'e.status', 'e.withdrawn_on', 'u.email'])
          .where('e.run_id', '=', run.id)
          .execute(),
      })),
    );
  }

  it('returns the demo accounts once, then leaves a database with users alone', async () => {
    expect(accounts).toEqual([...DEMO_ACCOUNTS]);
    expect(await seedDemoIfEmpty(db(), now)).toBeUndefined();
    const users = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(users.n)).toBe(43);
  });

  it('refuses, writing nothing, to seed a second time', async () => {
    const before = await db().selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(seedDemo(db(), now)).rejects.toThrow();
    const after = await db().selectFrom('runs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('writes set-based: a bounded number of insert statements, not one per row', () => {
    // One statement per table (users and their roles are two), whatever the number of rows.
    expect(inserts.count()).toBeGreaterThanOrEqual(12);
    expect(inserts.count()).toBeLessThanOrEqual(15);
  });

  it('gives each account its roles and every user the shared password, hashed once', async () => {
    const roles = await db().selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.email', 'r.role']).execute();
    const rolesOf = (email: string) => roles.filter((r) => r.email === email).map((r) => r.role).sort();
    expect(rolesOf('beheerder@presentia.test')).toEqual(['admin']);
    expect(rolesOf(TEACHER.email)).toEqual(['teacher']);
    expect(rolesOf(SECOND_TEACHER.email)).toEqual(['teacher']);
    expect(rolesOf(DEMO_PARTICIPANT_EMAIL)).toEqual(['participant']);
    expect(roles.filter((r) => r.role === 'participant')).toHaveLength(40);

    const hashes = await db().selectFrom('users').select('password_hash').distinct().execute();
    expect(hashes).toHaveLength(1);
    expect(await verify(hashes[0]!.password_hash!, DEMO_PASSWORD)).toBe(true);
  });

  it('gives docent@ two current classroom runs with at least ten participants, deelnemer@ among them', async () => {
    const runs = await runsTaughtBy(TEACHER.email);
    const current = runs.filter((r) => r.kind === 'classroom' && r.meetings.at(-1)!.starts_at > nowIso);
    expect(current.length).toBeGreaterThanOrEqual(2);
    for (const run of current) {
      expect(run.meetings.length).toBeGreaterThanOrEqual(3);
      expect(run.meetings.some((m) => m.ends_at < nowIso)).toBe(true);
      expect(run.enrolments.filter((e) => !INACTIVE_STATUSES.has(e.status)).length).toBeGreaterThanOrEqual(10);
      expect(run.enrolments.map((e) => e.email)).toContain(DEMO_PARTICIPANT_EMAIL);
      // R5 visible: attending every meeting would pass the course maximum.
      expect(run.max_study_points).toBeLessThan(run.meetings.reduce((sum, m) => sum + m.study_points, 0));
      // Classroom enrolments start as enrolled; only withdrawals have moved on.
      for (const e of run.enrolments) expect(['enrolled', 'withdrawn_valid', 'withdrawn_invalid']).toContain(e.status);
    }
    const mine = await listMyRuns(db(), await actor(TEACHER.email, ['teacher']), now);
    expect(mine.current.length).toBeGreaterThanOrEqual(2);
    expect(mine.current.every((r) => r.participants >= 10)).toBe(true);
  });

  it('has a run of docent2@ that docent@ neither teaches nor may open', async () => {
    const others = (await runsTaughtBy(SECOND_TEACHER.email)).filter((r) => r.kind === 'classroom');
    const mine = new Set((await runsTaughtBy(TEACHER.email)).map((r) => r.id));
    const foreign = others.find((r) => !mine.has(r.id));
    expect(foreign).toBeDefined();
    const docent = await actor(TEACHER.email, ['teacher']);
    await expect(loadManagedRun(db(), docent, foreign!.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    const listed = await listMyRuns(db(), docent, now);
    expect([...listed.current, ...listed.past].map((r) => r.id)).not.toContain(foreign!.id);
  });

  it('has withdrawals on both sides of the 15-day rule, and one still waiting for its status', async () => {
    const rows = await db()
      .selectFrom('enrolments as e')
      .innerJoin('runs as r', 'r.id', 'e.run_id')
      .select(['e.status', 'e.withdrawn_on', 'r.starts_on', 'r.id as run_id'])
      .where('e.withdrawn_on', 'is not', null)
      .execute();
    const notice = (r: (typeof rows)[number]) => daysBetween(r.withdrawn_on!, r.starts_on);
    expect(rows.some((r) => r.status === 'withdrawn_valid' && notice(r) >= WITHDRAWAL_NOTICE_DAYS)).toBe(true);
    expect(rows.some((r) => r.status === 'withdrawn_invalid' && notice(r) < WITHDRAWAL_NOTICE_DAYS)).toBe(true);
    for (const r of rows.filter((row) => row.status.startsWith('withdrawn'))) {
      expect(r.status).toBe(proposeWithdrawnStatus(r.withdrawn_on!, r.starts_on));
    }
    const pending = rows.filter((r) => r.status === 'enrolled');
    expect(pending.length).toBeGreaterThanOrEqual(1);

    // The teacher's page proposes the matching status for it (R4).
    const view = await getParticipantsView(db(), await actor(TEACHER.email, ['teacher']), pending[0]!.run_id, now);
    const proposed = view.active.filter((p) => p.withdrawnOn !== null);
    expect(proposed.length).toBeGreaterThanOrEqual(1);
    expect(proposed.every((p) => p.proposedStatus === proposeWithdrawnStatus(p.withdrawnOn!, view.run.starts_on))).toBe(true);
  });

  it('has classroom, e-learning and exam courses, some with a study term, and a programme', async () => {
    const courses = await db().selectFrom('courses').selectAll().execute();
    expect(new Set(courses.map((c) => c.kind))).toEqual(new Set(['classroom', 'elearning', 'exam']));
    expect(courses.map((c) => c.title)).toEqual(
      expect.arrayContaining(['Eerste hulp op de werkvloer', 'Brandpreventie', 'Excel voor gevorderden', 'Time management', 'Veilig werken met chemische stoffen']),
    );
    expect(courses.filter((c) => c.study_term_days !== null).length).toBeGreaterThanOrEqual(2);
    expect(courses.every((c) => c.max_study_points > 0)).toBe(true);

    const programmeCourses = await db().selectFrom('programme_courses').selectAll().orderBy('position').execute();
    expect(programmeCourses.length).toBeGreaterThanOrEqual(3);
    const waiting = await db()
      .selectFrom('enrolments')
      .selectAll()
      .where('status', '=', 'run_choice_required')
      .execute();
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    for (const e of waiting) {
      expect(e.run_id).toBeNull();
      expect(programmeCourses.some((pc) => pc.programme_id === e.programme_id && pc.course_id === e.course_id)).toBe(true);
      // There is a run to choose from.
      const choices = await db().selectFrom('runs').select('id').where('course_id', '=', e.course_id).where('starts_on', '>', brusselsDate(now)).execute();
      expect(choices.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('has e-learning enrolments without a run, not started and started, with a study term', async () => {
    const rows = await db()
      .selectFrom('enrolments as e')
      .innerJoin('courses as c', 'c.id', 'e.course_id')
      .select(['e.status', 'e.run_id', 'e.term_ends_on', 'e.enrolled_at'])
      .where('c.kind', '=', 'elearning')
      .execute();
    expect(rows.every((r) => r.run_id === null && r.term_ends_on !== null)).toBe(true);
    expect(rows.some((r) => r.status === 'not_started')).toBe(true);
    expect(rows.some((r) => r.status === 'started')).toBe(true);
    expect(rows.every((r) => r.status === 'not_started' || r.status === 'started')).toBe(true);
  });

  it('records attendance only for held meetings, by the run\'s teacher, with points within the maximum and history to match', async () => {
    const attendance = await db()
      .selectFrom('attendance as a')
      .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
      .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
      .innerJoin('courses as c', 'c.id', 'e.course_id')
      .leftJoin('run_teachers as rt', (join) => join.onRef('rt.run_id', '=', 'm.run_id').onRef('rt.user_id', '=', 'a.recorded_by'))
      .select(['a.enrolment_id', 'a.meeting_id', 'a.present', 'a.study_points', 'a.recorded_by', 'a.reported_absent_at', 'm.starts_at', 'm.study_points as meeting_points', 'rt.user_id as teacher', 'e.user_id', 'e.course_id', 'c.max_study_points'])
      .execute();
    const registered = attendance.filter((a) => a.present !== null);
    expect(registered.length).toBeGreaterThan(30);
    expect(registered.some((a) => a.present === 0)).toBe(true);
    for (const a of registered) {
      expect(a.starts_at < nowIso).toBe(true);
      expect(a.teacher).toBe(a.recorded_by);
      if (a.present === 0) expect(a.study_points).toBe(0);
      else expect(a.study_points).toBeGreaterThan(0);
    }
    // Only an absence reported in advance sits on a future meeting.
    const reported = attendance.filter((a) => a.present === null);
    expect(reported.length).toBeGreaterThanOrEqual(1);
    expect(reported.every((a) => a.reported_absent_at !== null && a.starts_at > nowIso)).toBe(true);

    const totals = new Map<string, { points: number; max: number }>();
    for (const a of attendance) {
      const key = `${a.user_id}|${a.course_id}`;
      const t = totals.get(key) ?? { points: 0, max: a.max_study_points };
      t.points += a.study_points;
      totals.set(key, t);
    }
    expect([...totals.values()].every((t) => t.points <= t.max + 1e-9)).toBe(true);
    // The cap (R5) is visible in the finished run: someone holds exactly the maximum, short of the meetings' sum.
    expect(attendance.some((a) => a.present === 1 && a.study_points > 0 && a.study_points < a.meeting_points)).toBe(true);

    const history = await db()
      .selectFrom('history')
      .select(['enrolment_id', 'meeting_id', 'actor_id', 'new_value', 'field', 'source'])
      .where('field', 'in', ['attendance', 'points'])
      .execute();
    for (const a of registered) {
      const rows = history.filter((h) => h.enrolment_id === a.enrolment_id && h.meeting_id === a.meeting_id && h.actor_id === a.recorded_by && h.source === 'teacher_form');
      expect(rows.find((h) => h.field === 'attendance')?.new_value).toBe(a.present === 1 ? 'present' : 'absent');
      if (a.study_points > 0) expect(rows.find((h) => h.field === 'points')?.new_value).toBe(String(a.study_points));
    }
  });

  it('keeps every enrolment at version 1 with its timestamps, and every certificate on a completed enrolment', async () => {
    const enrolments = await db().selectFrom('enrolments').selectAll().execute();
    expect(enrolments.length).toBeGreaterThan(80);
    for (const e of enrolments) {
      expect(e.version).toBe(1);
      expect(e.enrolled_at <= e.status_changed_at).toBe(true);
      expect(e.status_changed_at <= e.updated_at).toBe(true);
      expect(e.updated_at <= nowIso).toBe(true);
    }
    const certificates = await db()
      .selectFrom('certificates as cert')
      .innerJoin('enrolments as e', 'e.id', 'cert.enrolment_id')
      .select(['e.status', 'cert.study_points', 'cert.revoked_at'])
      .execute();
    expect(certificates.length).toBeGreaterThanOrEqual(5);
    expect(certificates.every((c) => c.status === 'completed' && c.revoked_at === null && c.study_points > 0)).toBe(true);
    expect(certificates.length).toBe(enrolments.filter((e) => e.status === 'completed').length);

    const history = await db().selectFrom('history').select(['id', 'at']).orderBy('id').execute();
    // History ids are read as time order by the history pages.
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort());
    expect(history.every((h) => h.at <= nowIso)).toBe(true);
  });

  it('holds meetings on working days, in office hours, Brussels time', async () => {
    const meetings = await db().selectFrom('meetings').select(['starts_at', 'ends_at']).execute();
    for (const m of meetings) {
      const date = brusselsDate(m.starts_at);
      expect(weekdayIndex(date)).toBeLessThan(5);
      expect(isBelgianPublicHoliday(date)).toBe(false);
      expect(['09:00', '13:30']).toContain(brusselsClock.format(new Date(m.starts_at)));
      expect(m.ends_at > m.starts_at).toBe(true);
    }
  });
});

describe('demo scenario on any day', () => {
  // Every weekday and weekend day of a fortnight, both daylight-saving changes, Christmas and New Year.
  const fortnight = Array.from({ length: 14 }, (_, i) => `${addDays('2026-06-01', i)}T10:00:00Z`);
  const edges = ['2026-03-29T00:30:00Z', '2026-03-30T06:00:00Z', '2026-10-25T01:30:00Z', '2026-12-24T23:30:00Z', '2027-01-01T12:00:00Z', '2026-11-30T23:59:59Z'];

  it.each([...fortnight, ...edges])('keeps its promises when created at %s', (instant) => {
    const now = new Date(instant);
    const nowIso = now.toISOString();
    const rows = buildDemo(now, 'hash');
    const teacher = rows.users.find((u) => u.email === TEACHER.email)!;
    const participant = rows.users.find((u) => u.email === DEMO_PARTICIPANT_EMAIL)!;
    const taught = new Set(rows.runTeachers.filter((rt) => rt.user_id === teacher.id).map((rt) => rt.run_id));

    const current = rows.runs.filter((r) => {
      const meetings = rows.meetings.filter((m) => m.run_id === r.id);
      return taught.has(r.id) && meetings.some((m) => m.ends_at < nowIso) && meetings.some((m) => m.starts_at > nowIso);
    });
    expect(current).toHaveLength(2);
    for (const run of current) {
      expect(rows.enrolments.some((e) => e.run_id === run.id && e.user_id === participant.id)).toBe(true);
    }
    expect(new Set(rows.runs.map((r) => r.code)).size).toBe(rows.runs.length);
    for (const m of rows.meetings) {
      const date = brusselsDate(m.starts_at);
      expect(weekdayIndex(date)).toBeLessThan(5);
      expect(isBelgianPublicHoliday(date)).toBe(false);
    }
    expect(rows.history.every((h) => h.at <= nowIso)).toBe(true);
    expect(rows.enrolments.every((e) => e.enrolled_at <= nowIso && e.updated_at! <= nowIso)).toBe(true);
    expect(rows.attendance.every((a) => a.recorded_at <= nowIso)).toBe(true);
  });
});

describeEachDatabase('demo data started by two servers at once', (store, kind) => {
  // Deterministic form of the race: another server's seed has written a demo user but not yet
  // committed, so this one finds the database empty, then waits on the unique e-mail address and
  // fails once the other commits. Only PostgreSQL has concurrent connections to show it.
  it.skipIf(kind !== 'postgres')('answers "not empty" when it loses the race on the unique e-mail address', async () => {
    const db = store().db;
    const other = await db.startTransaction().execute();
    await other
      .insertInto('users')
      .values({ id: 'other-server', email: TEACHER.email, name: 'Ander', password_hash: null, locale: null, created_at: new Date().toISOString(), anonymised_at: null })
      .execute();
    const seeding = seedDemoIfEmpty(db);
    for (let waited = 0; ; waited += 50) {
      const blocked = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
      if (blocked.rows[0]!.n > 0) break;
      if (waited > 20_000) throw new Error('the seed never waited on the other transaction');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await other.commit().execute();
    expect(await seedDemoIfEmpty(db)).toBeUndefined();
    await expect(seeding).resolves.toBeUndefined();
    await db.deleteFrom('users').where('id', '=', 'other-server').execute();
  });

  it('is written once; the server that lost the race is told the database is not empty', async () => {
    const results = await Promise.all([seedDemoIfEmpty(store().db), seedDemoIfEmpty(store().db)]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    const users = await store().db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(users.n)).toBe(43);
  });
});
