import { reportAbsence } from './participant-actions.ts';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { queryCounter } from '../testing/query-counter.ts';
import { actorOf, enrol, enrolMany, makeRun, makeUser } from '../testing/factories.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { readMeetingsChange } from '../domain/history-entry.ts';
import {
  RegistrationConflict,
  RegistrationRefused,
  registerAttendance,
  type RegistrationInput,
  type RowInput,
} from './register-attendance.ts';

function row(enrolmentId: string, extra: Partial<RowInput> = {}): RowInput {
  return { enrolmentId, version: 1, present: false, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null, ...extra };
}

function save(runId: string, rows: RowInput[], extra: Partial<RegistrationInput> = {}): RegistrationInput {
  return {
    runId,
    meetingIds: [],
    allMeetings: false,
    ignoreMaximum: false,
    confirmEarlyCompletion: false,
    confirmOverwrites: false,
    rows,
    ...extra,
  };
}

describeEachDatabase('registerAttendance', (store) => {
  const db = () => store().db;

  async function classroom(options: { meetingDays?: number[]; points?: number; maxPoints?: number; participants?: number } = {}) {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, ...options });
    const people = [];
    for (let i = 0; i < (options.participants ?? 2); i += 1) {
      const user = await makeUser(db());
      people.push({ user, enrolment: await enrol(db(), run, user.id) });
    }
    return { teacher, run, people, actor: actorOf(teacher) };
  }

  const enrolment = (id: string) => db().selectFrom('enrolments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const attendanceOf = (id: string) =>
    db().selectFrom('attendance').selectAll().where('enrolment_id', '=', id).orderBy('meeting_id').execute();
  const historyOf = (id: string) => db().selectFrom('history').selectAll().where('enrolment_id', '=', id).orderBy('id').execute();
  const certificatesOf = (id: string) => db().selectFrom('certificates').selectAll().where('enrolment_id', '=', id).orderBy('id').execute();

  it('records present and not present for the chosen meeting and credits its points (R5, R7)', async () => {
    const { run, people, actor } = await classroom({ points: 1.5 });
    const [a, b] = people;
    const out = await registerAttendance(
      db(),
      actor,
      save(run.id, [row(a!.enrolment.id, { present: true }), row(b!.enrolment.id)], { meetingIds: [run.meetings[0]!.id] }),
    );
    expect(out).toEqual({
      kind: 'saved',
      summary: expect.objectContaining({ participants: 2, meetings: 1, attendanceChanged: 2, pointsCredited: 1.5 }),
    });
    expect(await attendanceOf(a!.enrolment.id)).toMatchObject([{ present: 1, study_points: 1.5, recorded_by: actor.id }]);
    expect(await attendanceOf(b!.enrolment.id)).toMatchObject([{ present: 0, study_points: 0 }]);
    expect((await enrolment(a!.enrolment.id)).version).toBe(2);
  });

  it('refuses a teacher of another run and changes nothing (R1)', async () => {
    const { run, people } = await classroom();
    const other = await makeUser(db(), ['teacher']);
    await expect(
      registerAttendance(db(), actorOf(other), save(run.id, [row(people[0]!.enrolment.id, { present: true })], { allMeetings: true })),
    ).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    expect(await attendanceOf(people[0]!.enrolment.id)).toEqual([]);
  });

  it('refuses an admin-only status from a teacher, beside its row, and writes no other row either (R1, R10)', async () => {
    const { run, people, actor } = await classroom();
    const [a, b] = people;
    const attempt = registerAttendance(
      db(),
      actor,
      save(run.id, [row(a!.enrolment.id, { present: true }), row(b!.enrolment.id, { status: 'exempted' })], {
        meetingIds: [run.meetings[0]!.id],
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(RegistrationRefused);
    const error = (await attempt.catch((e) => e)) as RegistrationRefused;
    expect(error.rowErrors.get(b!.enrolment.id)).toEqual(['admin_only_status']);
    expect(await attendanceOf(a!.enrolment.id)).toEqual([]);
    expect((await enrolment(b!.enrolment.id)).status).toBe('enrolled');
    expect(await historyOf(a!.enrolment.id)).toEqual([]);
  });

  it('lets an administrator set an admin-only status', async () => {
    const { run, people } = await classroom();
    const admin = await makeUser(db(), ['admin']);
    await registerAttendance(db(), actorOf(admin), save(run.id, [row(people[0]!.enrolment.id, { status: 'exempted' })]));
    expect((await enrolment(people[0]!.enrolment.id)).status).toBe('exempted');
    expect(await historyOf(people[0]!.enrolment.id)).toMatchObject([{ field: 'status', old_value: 'enrolled', new_value: 'exempted', source: 'admin' }]);
  });

  it('keeps a status the system made final out of a teacher\'s reach (R8)', async () => {
    const { run, actor } = await classroom({ participants: 0 });
    const user = await makeUser(db());
    const e = await enrol(db(), run, user.id, { status: 'term_expired' });
    const attempt = registerAttendance(db(), actor, save(run.id, [row(e.id, { status: 'completed' })]));
    const error = (await attempt.catch((x) => x)) as RegistrationRefused;
    expect(error).toBeInstanceOf(RegistrationRefused);
    expect(error.rowErrors.get(e.id)).toEqual(['final_status']);
  });

  it('refuses a ticked Aanwezig box when no meeting is chosen, but saves statuses and effort without one (R7)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-7, -1] });
    const [a, b] = people;
    const error = (await registerAttendance(db(), actor, save(run.id, [row(a!.enrolment.id, { present: true })])).catch((e) => e)) as RegistrationRefused;
    expect(error.formErrors).toEqual(['choose_meeting']);

    const out = await registerAttendance(db(), actor, save(run.id, [row(b!.enrolment.id, { status: 'failed', effort: 'good', effortComment: 'Actief' })]));
    expect(out.kind).toBe('saved');
    expect(await enrolment(b!.enrolment.id)).toMatchObject({ status: 'failed', effort: 'good', effort_comment: 'Actief' });
    expect(await attendanceOf(b!.enrolment.id)).toEqual([]);
  });

  it('asks for confirmation before completing while meetings remain, and writes nothing until then (R2)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-7, -1, 7] });
    const a = people[0]!.enrolment;
    const input = save(run.id, [row(a.id, { present: true, status: 'completed' })], { meetingIds: [run.meetings[0]!.id] });
    const first = await registerAttendance(db(), actor, input);
    expect(first).toMatchObject({ kind: 'confirm', earlyCompletions: [{ enrolmentId: a.id }], overwrites: [] });
    expect((await enrolment(a.id)).status).toBe('enrolled');
    expect(await certificatesOf(a.id)).toEqual([]);
    expect(await attendanceOf(a.id)).toEqual([]);

    const second = await registerAttendance(db(), actor, { ...input, confirmEarlyCompletion: true });
    expect(second).toMatchObject({ kind: 'saved', summary: { statusesChanged: 1, certificatesIssued: 1 } });
    expect((await enrolment(a.id)).status).toBe('completed');
  });

  it('does not ask for confirmation when the last meeting is chosen (R2)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-7, -1] });
    const out = await registerAttendance(
      db(),
      actor,
      save(run.id, [row(people[0]!.enrolment.id, { present: true, status: 'completed' })], { meetingIds: [run.meetings[1]!.id] }),
    );
    expect(out.kind).toBe('saved');
  });

  it('issues exactly one certificate on completion and revokes it on leaving Voltooid (R3)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-7, -1], points: 2 });
    const a = people[0]!.enrolment;
    await registerAttendance(db(), actor, save(run.id, [row(a.id, { present: true, status: 'completed' })], { allMeetings: true }));
    const [certificate] = await certificatesOf(a.id);
    expect(certificate).toMatchObject({ revoked_at: null, study_points: 4, user_id: people[0]!.user.id });
    expect(certificate!.number).toMatch(/^PRS-\d{4}-[0-9A-Z]{8}$/);
    expect(certificate!.verification_code).toMatch(/^[0-9A-Z]{16}$/);

    // Saving Voltooid again issues nothing new.
    await registerAttendance(db(), actor, save(run.id, [row(a.id, { version: 2, status: 'completed' })]));
    expect(await certificatesOf(a.id)).toHaveLength(1);

    const out = await registerAttendance(db(), actor, save(run.id, [row(a.id, { version: 2, status: 'failed' })]));
    expect(out).toMatchObject({ kind: 'saved', summary: { certificatesRevoked: 1 } });
    const [revoked] = await certificatesOf(a.id);
    expect(revoked!.revoked_at).not.toBeNull();
    const history = await historyOf(a.id);
    expect(history.filter((h) => h.field === 'certificate').map((h) => h.note)).toEqual(['issued', 'revoked']);
  });

  it('requires proof of force majeure for a valid withdrawal under 15 days before the start (R4)', async () => {
    const { run, actor } = await classroom({ participants: 0, meetingDays: [10, 17] });
    const late = await enrol(db(), run, (await makeUser(db())).id, { withdrawnOn: new Date().toISOString().slice(0, 10) });
    const early = await enrol(db(), run, (await makeUser(db())).id, {
      withdrawnOn: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10),
    });
    const refused = (await registerAttendance(db(), actor, save(run.id, [row(late.id, { status: 'withdrawn_valid' })])).catch((e) => e)) as RegistrationRefused;
    expect(refused).toBeInstanceOf(RegistrationRefused);
    expect(refused.rowErrors.get(late.id)).toEqual(['proof_required']);
    expect((await enrolment(late.id)).status).toBe('enrolled');

    // 20 days' notice needs no proof; a note that proof was seen makes the late one valid too.
    await registerAttendance(
      db(),
      actor,
      save(run.id, [row(early.id, { status: 'withdrawn_valid' }), row(late.id, { status: 'withdrawn_valid', proofNote: 'Doktersattest gezien' })]),
    );
    expect(await enrolment(early.id)).toMatchObject({ status: 'withdrawn_valid' });
    expect(await enrolment(late.id)).toMatchObject({ status: 'withdrawn_valid', force_majeure_note: 'Doktersattest gezien' });
  });

  it('caps credited points at the course maximum unless overridden, and records the override (R5)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-3, -2, -1], points: 2, maxPoints: 5 });
    const [a, b] = people;
    await registerAttendance(db(), actor, save(run.id, [row(a!.enrolment.id, { present: true })], { allMeetings: true }));
    expect((await attendanceOf(a!.enrolment.id)).map((x) => x.study_points).sort()).toEqual([1, 2, 2]);

    await registerAttendance(
      db(),
      actor,
      save(run.id, [row(a!.enrolment.id, { version: 2 }), row(b!.enrolment.id, { present: true })], {
        meetingIds: [],
        allMeetings: true,
        ignoreMaximum: true,
        confirmOverwrites: true,
      }),
    );
    // Removing attendance removes its points; the override lets b reach 6 and says who did it.
    expect((await attendanceOf(a!.enrolment.id)).map((x) => x.study_points)).toEqual([0, 0, 0]);
    const bRows = await attendanceOf(b!.enrolment.id);
    expect(bRows.reduce((s, x) => s + x.study_points, 0)).toBe(6);
    expect(bRows.filter((x) => x.points_override_by === actor.id)).toHaveLength(1);
  });

  it('lists overwrites of recorded attendance for confirmation and leaves unchanged records alone (R7)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-3, -2] });
    const [a, b] = people;
    await registerAttendance(
      db(),
      actor,
      save(run.id, [row(a!.enrolment.id, { present: true }), row(b!.enrolment.id, { present: true })], { meetingIds: [run.meetings[0]!.id] }),
    );
    const before = await attendanceOf(b!.enrolment.id);

    const input = save(run.id, [row(a!.enrolment.id, { version: 2 }), row(b!.enrolment.id, { version: 2, present: true })], { allMeetings: true });
    const out = await registerAttendance(db(), actor, input);
    expect(out).toMatchObject({ kind: 'confirm', overwrites: [{ enrolmentId: a!.enrolment.id, from: 'present', to: 'absent' }] });
    expect(await attendanceOf(a!.enrolment.id)).toMatchObject([{ present: 1 }]);

    const done = await registerAttendance(db(), actor, { ...input, confirmOverwrites: true });
    expect(done).toMatchObject({ kind: 'saved', summary: { attendanceChanged: 3 } });
    const after = await attendanceOf(b!.enrolment.id);
    const unchanged = after.find((x) => x.meeting_id === before[0]!.meeting_id);
    expect(unchanged!.recorded_at).toBe(before[0]!.recorded_at);
  });

  it('treats an absence reported in advance as recorded attendance that a present tick overwrites (R7)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-3, -2] });
    const a = people[0]!.enrolment;
    // The participant reported it ("Afwezigheid melden") the day before the meeting.
    const dayBefore = new Date(Date.parse(run.meetings[0]!.starts_at) - 86_400_000);
    const reported = await reportAbsence(db(), { id: a.userId, roles: ['participant'], source: 'participant' }, { enrolmentId: a.id, meetingId: run.meetings[0]!.id, reason: 'Op reis' }, dayBefore);
    expect(reported).toMatchObject({ ok: true });
    const out = await registerAttendance(db(), actor, save(run.id, [row(a.id, { present: true, version: 2 })], { meetingIds: [run.meetings[0]!.id] }));
    expect(out).toMatchObject({ kind: 'confirm', overwrites: [{ from: 'reported_absent', to: 'present' }] });
  });

  it('records history with actor, source, old and new value (R9)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-3] });
    const a = people[0]!.enrolment;
    await registerAttendance(
      db(),
      actor,
      save(run.id, [row(a.id, { present: true, status: 'completed', effort: 'excellent', effortComment: 'Sterk' })], { allMeetings: true }),
    );
    const history = await historyOf(a.id);
    expect(history.every((h) => h.actor_id === actor.id && h.source === 'teacher_form' && h.run_id === run.id)).toBe(true);
    expect(history.map((h) => [h.field, h.old_value, h.new_value])).toEqual(
      expect.arrayContaining([
        ['attendance', null, 'present'],
        ['points', '0', '1'],
        ['status', 'enrolled', 'completed'],
        ['effort', null, 'excellent: Sterk'],
        ['certificate', null, expect.stringMatching(/^PRS-/)],
      ]),
    );
  });

  it('records a change at several meetings as one row per participant, each meeting with its old and new value (R9)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-10, -3] });
    const a = people[0]!.enrolment;
    const [m0, m1] = run.meetings as [(typeof run.meetings)[number], (typeof run.meetings)[number]];
    await registerAttendance(db(), actor, save(run.id, [row(a.id, { present: true })], { allMeetings: true }));
    const first = await historyOf(a.id);
    expect(first.map((h) => [h.field, h.meeting_id, h.actor_id, h.source])).toEqual([
      ['attendance', null, actor.id, 'teacher_form'],
      ['points', null, actor.id, 'teacher_form'],
    ]);
    expect(readMeetingsChange(first[0]!)).toEqual([
      { meetingId: m0.id, startsAt: m0.starts_at, oldValue: null, newValue: 'present' },
      { meetingId: m1.id, startsAt: m1.starts_at, oldValue: null, newValue: 'present' },
    ]);
    expect(readMeetingsChange(first[1]!)).toEqual([
      { meetingId: m0.id, startsAt: m0.starts_at, oldValue: '0', newValue: '1' },
      { meetingId: m1.id, startsAt: m1.starts_at, oldValue: '0', newValue: '1' },
    ]);

    // A change at one meeting stays a row of that meeting.
    const out = await registerAttendance(db(), actor, { ...save(run.id, [row(a.id, { present: false, version: 2 })], { meetingIds: [m1.id] }), confirmOverwrites: true });
    expect(out).toMatchObject({ kind: 'saved' });
    const second = (await historyOf(a.id)).slice(first.length);
    expect(second.map((h) => [h.field, h.meeting_id, h.old_value, h.new_value])).toEqual([
      ['attendance', m1.id, 'present', 'absent'],
      ['points', m1.id, '1', '0'],
    ]);
  });

  it('refuses a save made on a stale page and names who changed (R11)', async () => {
    const { run, people, actor } = await classroom({ meetingDays: [-3] });
    const a = people[0]!.enrolment;
    const other = await makeUser(db(), ['admin']);
    await registerAttendance(db(), actorOf(other), save(run.id, [row(a.id, { effort: 'good' })]));
    const attempt = await registerAttendance(db(), actor, save(run.id, [row(a.id, { present: true })], { allMeetings: true })).catch((e) => e);
    expect(attempt).toBeInstanceOf(RegistrationConflict);
    expect((attempt as RegistrationConflict).changed).toMatchObject([{ enrolmentId: a.id }]);
    expect(await attendanceOf(a.id)).toEqual([]);
  });

  it('says nothing changed when nothing did', async () => {
    const { run, people, actor } = await classroom();
    const out = await registerAttendance(db(), actor, save(run.id, people.map((p) => row(p.enrolment.id))));
    expect(out).toEqual({
      kind: 'saved',
      summary: { participants: 0, meetings: 0, attendanceChanged: 0, statusesChanged: 0, certificatesIssued: 0, certificatesRevoked: 0, pointsCredited: 0, pointsRemoved: 0, effortChanged: 0, proofsRecorded: 0 },
    });
  });

  it('saves 500 participants × 20 meetings with a bounded number of queries', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const days = Array.from({ length: 20 }, (_, i) => i - 21);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: days, points: 0.5, maxPoints: 100 });
    const enrolments = (await enrolMany(db(), run, 500)).map((id) => ({ id }));

    const queries = queryCounter();
    const out = await registerAttendance(
      db().withPlugin(queries.plugin),
      actorOf(teacher),
      save(
        run.id,
        enrolments.map((e, i) => row(e.id, { present: i % 4 !== 0, status: i < 100 ? (i < 50 ? 'completed' : 'failed') : null })),
        { allMeetings: true },
      ),
    );
    expect(out).toMatchObject({ kind: 'saved', summary: { attendanceChanged: 10_000, statusesChanged: 100, certificatesIssued: 50 } });
    expect(queries.count()).toBeLessThanOrEqual(25);
    const count = await db()
      .selectFrom('attendance')
      .innerJoin('enrolments', 'enrolments.id', 'attendance.enrolment_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('enrolments.run_id', '=', run.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(10_000);
  });
});
