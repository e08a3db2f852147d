import { expect, it } from 'vitest';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCourse, makeRun, makeUser } from '../testing/factories.ts';
import { TEST_DATA_DIR, adminActorOf, enrolInCourse, makeProgramme, participantActorOf } from '../testing/lifecycle.ts';
import { anonymiseUser } from './privacy-anonymise.ts';
import { chooseRun, openCourse, reportAbsence, takeBackAbsence, withdrawSelf } from './participant-actions.ts';
import { enrolInProgramme } from './programme-enrolment.ts';
import { enrolInRun } from './admin-enrolments.ts';
import { registerAttendance } from './register-attendance.ts';
import { getParticipantsView } from './teacher-runs.ts';
import { withdrawOnBehalf } from './withdrawal-on-behalf.ts';

const DAY = 86_400_000;

describeEachDatabase('participant actions', (store) => {
  const db = () => store().db;
  const enrolment = (id: string) => db().selectFrom('enrolments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const historyOf = (id: string) => db().selectFrom('history').selectAll().where('enrolment_id', '=', id).orderBy('id').execute();

  async function classroom(meetingDays = [20, 27]) {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays });
    const user = await makeUser(db());
    const e = await enrol(db(), run, user.id);
    return { teacher, run, user, enrolment: e, actor: participantActorOf(user) };
  }

  it('opening the knowledge centre starts a classroom enrolment once, with history from the participant', async () => {
    const { enrolment: e, actor } = await classroom();
    expect(await openCourse(db(), actor, e.id, 'knowledge_centre')).toMatchObject({ started: true });
    expect(await enrolment(e.id)).toMatchObject({ status: 'started', version: 2 });
    expect(await openCourse(db(), actor, e.id, 'knowledge_centre')).toMatchObject({ started: false });
    const history = await historyOf(e.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ source: 'participant', actor_id: actor.id, field: 'status', old_value: 'enrolled', new_value: 'started' });
  });

  it('never moves a final status when the course is opened (R8)', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id });
    const user = await makeUser(db());
    const e = await enrol(db(), run, user.id, { status: 'completed' });
    expect(await openCourse(db(), participantActorOf(user), e.id, 'knowledge_centre')).toMatchObject({ started: false });
    expect((await enrolment(e.id)).status).toBe('completed');
    expect(await historyOf(e.id)).toEqual([]);
  });

  it('opening the e-learning module moves Niet gestart to Gestart; the knowledge centre does not', async () => {
    const course = await makeCourse(db(), { kind: 'elearning' });
    const user = await makeUser(db());
    const e = await enrolInCourse(db(), course.id, user.id, 'not_started');
    const actor = participantActorOf(user);
    expect(await openCourse(db(), actor, e.id, 'knowledge_centre')).toMatchObject({ started: false });
    expect((await enrolment(e.id)).status).toBe('not_started');
    expect(await openCourse(db(), actor, e.id, 'elearning')).toMatchObject({ started: true });
    expect((await enrolment(e.id)).status).toBe('started');
    expect(await historyOf(e.id)).toMatchObject([{ source: 'participant', old_value: 'not_started', new_value: 'started', note: 'elearning' }]);
  });

  it("tells another person the enrolment does not exist", async () => {
    const { enrolment: e } = await classroom();
    const other = await makeUser(db());
    await expect(openCourse(db(), participantActorOf(other), e.id, 'knowledge_centre')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    await expect(withdrawSelf(db(), participantActorOf(other), e.id, '')).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    expect((await enrolment(e.id)).status).toBe('enrolled');
  });

  it('enrolling in a programme enrols per course: one open run, several, and e-learning; a second time adds nothing', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const single = await makeRun(db(), { teacherId: teacher.id, meetingDays: [10] });
    const choiceA = await makeRun(db(), { teacherId: teacher.id, meetingDays: [10] });
    const choiceB = await makeRun(db(), { teacherId: teacher.id, meetingDays: [30], courseId: choiceA.courseId });
    await makeRun(db(), { teacherId: teacher.id, meetingDays: [-3], courseId: single.courseId }); // started: not open
    const online = await makeCourse(db(), { kind: 'elearning' });
    const programme = await makeProgramme(db(), [single.courseId, choiceA.courseId, online.id]);
    const admin = await makeUser(db(), ['admin']);
    const user = await makeUser(db());

    const out = await enrolInProgramme(db(), adminActorOf(admin), { userId: user.id, programmeId: programme.id });
    expect(out.courses.map((c) => c.outcome)).toEqual(['enrolled', 'run_choice_required', 'not_started']);
    const rows = await db().selectFrom('enrolments').selectAll().where('user_id', '=', user.id).orderBy('course_id').execute();
    const byCourse = new Map(rows.map((r) => [r.course_id, r]));
    expect(byCourse.get(single.courseId)).toMatchObject({ run_id: single.id, status: 'enrolled', programme_id: programme.id });
    expect(byCourse.get(choiceA.courseId)).toMatchObject({ run_id: null, status: 'run_choice_required' });
    expect(byCourse.get(online.id)).toMatchObject({ run_id: null, status: 'not_started' });
    expect(byCourse.get(choiceB.courseId)!.term_ends_on).not.toBeNull();
    const history = await db().selectFrom('history').selectAll().where('user_id', '=', user.id).execute();
    expect(history).toHaveLength(3);
    expect(history.every((h) => h.source === 'admin' && h.field === 'status' && h.old_value === null)).toBe(true);

    const again = await enrolInProgramme(db(), adminActorOf(admin), { userId: user.id, programmeId: programme.id });
    expect(again.courses.map((c) => c.outcome)).toEqual(['already_following', 'already_following', 'already_following']);
    await expect(enrolInProgramme(db(), participantActorOf(user), { userId: user.id, programmeId: programme.id })).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('choosing a run makes the enrolment Ingeschreven in it; a full, started or other course run is refused', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const open = await makeRun(db(), { teacherId: teacher.id, meetingDays: [12] });
    const full = await makeRun(db(), { teacherId: teacher.id, meetingDays: [14], courseId: open.courseId });
    const started = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-1, 3], courseId: open.courseId });
    const elsewhere = await makeRun(db(), { teacherId: teacher.id, meetingDays: [12] });
    await db().updateTable('runs').set({ capacity: 1 }).where('id', '=', full.id).execute();
    await enrol(db(), full, (await makeUser(db())).id);
    const user = await makeUser(db());
    const e = await enrolInCourse(db(), open.courseId, user.id, 'run_choice_required');
    const actor = participantActorOf(user);

    expect(await chooseRun(db(), actor, e.id, full.id)).toEqual({ ok: false, reason: 'run_full' });
    expect(await chooseRun(db(), actor, e.id, started.id)).toEqual({ ok: false, reason: 'run_not_open' });
    expect(await chooseRun(db(), actor, e.id, elsewhere.id)).toEqual({ ok: false, reason: 'run_not_of_course' });
    expect((await enrolment(e.id)).status).toBe('run_choice_required');

    expect(await chooseRun(db(), actor, e.id, open.id)).toEqual({ ok: true });
    expect(await enrolment(e.id)).toMatchObject({ status: 'enrolled', run_id: open.id });
    expect(await historyOf(e.id)).toMatchObject([
      { source: 'participant', field: 'enrolment', new_value: open.id },
      { source: 'participant', field: 'status', old_value: 'run_choice_required', new_value: 'enrolled' },
    ]);
    expect(await chooseRun(db(), actor, e.id, open.id)).toEqual({ ok: false, reason: 'run_choice_not_required' });
  });

  it('counts places as administrators place people: a place the waiting list waits for is neither chosen nor given by a programme', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [12] });
    await db().updateTable('runs').set({ capacity: 2 }).where('id', '=', run.id).execute();
    const admin = adminActorOf(await makeUser(db(), ['admin']));
    const [taking, waiting] = [await makeUser(db()), await makeUser(db())];
    await enrolInRun(db(), admin, run.id, [taking.id]);
    await db().updateTable('runs').set({ capacity: 1 }).where('id', '=', run.id).execute();
    expect((await enrolInRun(db(), admin, run.id, [waiting.id])).placements).toEqual([{ userId: waiting.id, placement: 'waiting' }]);
    // The capacity goes back up: one place is free, and the person waiting is first in line for it.
    await db().updateTable('runs').set({ capacity: 2 }).where('id', '=', run.id).execute();

    const chooser = await makeUser(db());
    const e = await enrolInCourse(db(), run.courseId, chooser.id, 'run_choice_required');
    expect(await chooseRun(db(), participantActorOf(chooser), e.id, run.id)).toEqual({ ok: false, reason: 'run_full' });

    const programme = await makeProgramme(db(), [run.courseId]);
    const newcomer = await makeUser(db());
    const out = await enrolInProgramme(db(), admin, { userId: newcomer.id, programmeId: programme.id });
    expect(out.courses.map((c) => c.outcome)).toEqual(['run_choice_required']);
    const inRun = await db().selectFrom('enrolments').select('user_id').where('run_id', '=', run.id).execute();
    expect(inRun.map((r) => r.user_id)).toEqual([taking.id]);
  });

  it('gives the last place of a run to exactly one of two concurrent choices', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [12] });
    await db().updateTable('runs').set({ capacity: 2 }).where('id', '=', run.id).execute();
    await enrol(db(), run, (await makeUser(db())).id);
    const [first, second] = [await makeUser(db()), await makeUser(db())];
    const e1 = await enrolInCourse(db(), run.courseId, first.id, 'run_choice_required');
    const e2 = await enrolInCourse(db(), run.courseId, second.id, 'run_choice_required');

    // The second choice starts while the first, having counted the places and taken the last, has not
    // committed yet: it must wait for the first and then find the run full, not count the same place.
    let secondChoice: Promise<unknown> | undefined;
    const firstChoice = await db()
      .transaction()
      .execute(async (trx) => {
        const result = await chooseRun(trx, participantActorOf(first), e1.id, run.id);
        secondChoice = chooseRun(db(), participantActorOf(second), e2.id, run.id);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return result;
      });
    expect(firstChoice).toEqual({ ok: true });
    expect(await secondChoice).toEqual({ ok: false, reason: 'run_full' });
    const inRun = await db().selectFrom('enrolments').select('id').where('run_id', '=', run.id).execute();
    expect(inRun).toHaveLength(2);
  });

  it('withdrawing before the run starts records the date and reason; the teacher page proposes the R4 status', async () => {
    const now = new Date();
    const { teacher, run, enrolment: e, actor } = await classroom([20, 27]);
    expect(await withdrawSelf(db(), actor, e.id, ' Nieuwe job ', now)).toEqual({ ok: true });
    const after = await enrolment(e.id);
    expect(after).toMatchObject({ status: 'enrolled', withdrawal_reason: 'Nieuwe job', version: 2 });
    expect(after.withdrawn_on).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(now));
    expect(await historyOf(e.id)).toMatchObject([{ source: 'participant', field: 'withdrawal', new_value: after.withdrawn_on, note: 'Nieuwe job' }]);
    const view = await getParticipantsView(db(), actorOf(teacher), run.id);
    expect(view.active.find((r) => r.enrolmentId === e.id)).toMatchObject({ withdrawnOn: after.withdrawn_on, proposedStatus: 'withdrawn_valid' });
    expect(await withdrawSelf(db(), actor, e.id, '', now)).toEqual({ ok: false, reason: 'withdraw_already' });
  });

  it('proposes withdrawn without valid reason within 15 days, and refuses a withdrawal once the run started', async () => {
    const near = await classroom([5, 9]);
    expect(await withdrawSelf(db(), near.actor, near.enrolment.id, '')).toEqual({ ok: true });
    const view = await getParticipantsView(db(), actorOf(near.teacher), near.run.id);
    expect(view.active[0]).toMatchObject({ proposedStatus: 'withdrawn_invalid' });

    const begun = await classroom([-2, 5]);
    expect(await withdrawSelf(db(), begun.actor, begun.enrolment.id, '')).toEqual({ ok: false, reason: 'withdraw_run_started' });
    expect((await enrolment(begun.enrolment.id)).withdrawn_on).toBeNull();
  });

  it('an administrator withdraws someone on their behalf only with proof of force majeure', async () => {
    const { enrolment: e } = await classroom([3, 9]);
    const admin = adminActorOf(await makeUser(db(), ['admin']));
    const input = { enrolmentId: e.id, withdrawnOn: '2026-12-01', proofNote: '', proofFileKey: null };
    expect(await withdrawOnBehalf(db(), admin, input)).toEqual({ ok: false, reason: 'withdraw_proof_required' });
    expect(await withdrawOnBehalf(db(), admin, { ...input, proofNote: 'Doktersattest gezien' })).toEqual({ ok: true });
    expect(await enrolment(e.id)).toMatchObject({ status: 'withdrawn_valid', withdrawn_on: '2026-12-01', force_majeure_note: 'Doktersattest gezien' });
    expect(await historyOf(e.id)).toMatchObject([
      { source: 'admin', field: 'withdrawal', new_value: '2026-12-01' },
      { source: 'admin', field: 'status', old_value: 'enrolled', new_value: 'withdrawn_valid' },
    ]);
    const participant = participantActorOf({ id: e.userId });
    await expect(withdrawOnBehalf(db(), participant, input)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('reports an absence for a future meeting with a reason, and takes it back until the meeting starts', async () => {
    const { run, enrolment: e, actor } = await classroom([-7, 5]);
    const [past, future] = run.meetings;
    expect(await reportAbsence(db(), actor, { enrolmentId: e.id, meetingId: past!.id, reason: 'Ziek' })).toEqual({ ok: false, reason: 'absence_meeting_started' });
    expect(await reportAbsence(db(), actor, { enrolmentId: e.id, meetingId: future!.id, reason: '  ' })).toEqual({ ok: false, reason: 'absence_reason_required' });
    expect(await reportAbsence(db(), actor, { enrolmentId: e.id, meetingId: future!.id, reason: 'Huwelijk van mijn zus' })).toEqual({ ok: true });
    const rows = await db().selectFrom('attendance').selectAll().where('enrolment_id', '=', e.id).execute();
    expect(rows).toMatchObject([{ meeting_id: future!.id, present: null, absence_reason: 'Huwelijk van mijn zus', study_points: 0 }]);
    expect(rows[0]!.reported_absent_at).not.toBeNull();
    expect(await historyOf(e.id)).toMatchObject([{ source: 'participant', field: 'attendance', meeting_id: future!.id, new_value: 'reported_absent' }]);

    const afterStart = new Date(Date.parse(future!.starts_at) + 60_000);
    expect(await takeBackAbsence(db(), actor, { enrolmentId: e.id, meetingId: future!.id }, afterStart)).toEqual({ ok: false, reason: 'absence_meeting_started' });
    expect(await takeBackAbsence(db(), actor, { enrolmentId: e.id, meetingId: future!.id })).toEqual({ ok: true });
    expect(await db().selectFrom('attendance').selectAll().where('enrolment_id', '=', e.id).execute()).toEqual([]);
    expect((await historyOf(e.id)).map((h) => [h.old_value, h.new_value])).toEqual([[null, 'reported_absent'], ['reported_absent', null]]);
    const other = await makeUser(db());
    await expect(reportAbsence(db(), participantActorOf(other), { enrolmentId: e.id, meetingId: future!.id, reason: 'x' })).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('neither "Iedereen aanwezig" nor "alle bijeenkomsten" overwrites a reported absence without confirmation (R7)', async () => {
    const reportedAt = new Date();
    const { teacher, run, enrolment: e, actor } = await classroom([2, 4]);
    const [first] = run.meetings;
    expect(await reportAbsence(db(), actor, { enrolmentId: e.id, meetingId: first!.id, reason: 'Tandarts' }, reportedAt)).toEqual({ ok: true });
    const later = new Date(reportedAt.getTime() + 5 * DAY);
    const view = await getParticipantsView(db(), actorOf(teacher), run.id, later);
    expect(view.active[0]!.attendance).toEqual(['reported_absent', null]);
    expect(view.active[0]!.absenceReports).toEqual([{ meeting: 1, reason: 'Tandarts' }]);
    const version = (await enrolment(e.id)).version;
    const row = { enrolmentId: e.id, version, present: true, status: null, effort: null, effortComment: '', proofNote: '', proofFile: null };
    const input = { runId: run.id, meetingIds: [], allMeetings: true, ignoreMaximum: false, confirmEarlyCompletion: false, confirmOverwrites: false, rows: [row] };
    const out = await registerAttendance(db(), actorOf(teacher), input, later);
    expect(out).toMatchObject({ kind: 'confirm', overwrites: [{ enrolmentId: e.id, from: 'reported_absent', to: 'present' }] });
    expect(await db().selectFrom('attendance').select(['present', 'absence_reason']).where('enrolment_id', '=', e.id).execute()).toEqual([
      { present: null, absence_reason: 'Tandarts' },
    ]);
    const done = await registerAttendance(db(), actorOf(teacher), { ...input, confirmOverwrites: true }, later);
    expect(done.kind).toBe('saved');
  });
});

describeEachDatabase('anonymising a participant erases the reasons they gave', (store) => {
  it('clears withdrawal and absence reasons from enrolments, attendance and history', async () => {
    const db = store().db;
    const teacher = await makeUser(db, ['teacher']);
    const run = await makeRun(db, { teacherId: teacher.id, meetingDays: [20, 27] });
    const user = await makeUser(db);
    const e = await enrol(db, run, user.id);
    const actor = participantActorOf(user);
    expect(await reportAbsence(db, actor, { enrolmentId: e.id, meetingId: run.meetings[0]!.id, reason: 'ZIEKTE-GEHEIM' })).toEqual({ ok: true });
    expect(await withdrawSelf(db, actor, e.id, 'REDEN-GEHEIM')).toEqual({ ok: true });
    const admin = await makeUser(db, ['admin']);
    await anonymiseUser(db, adminActorOf(admin), user.id, { dataDir: TEST_DATA_DIR });
    const texts = JSON.stringify([
      await db.selectFrom('enrolments').selectAll().where('id', '=', e.id).execute(),
      await db.selectFrom('attendance').selectAll().where('enrolment_id', '=', e.id).execute(),
      await db.selectFrom('history').selectAll().where('user_id', '=', user.id).execute(),
    ]);
    expect(texts).not.toContain('GEHEIM');
  });
});
