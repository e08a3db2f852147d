import { expect, it } from 'vitest';
import { newId } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory } from '../repositories/history.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeCourse, makeRun, makeUser } from '../testing/factories.ts';
import type { Actor } from './actor.ts';
import { teacherSaves } from '../testing/teacher-saves.ts';
import { HISTORY_PAGE_SIZE, getMyEnrolment, isHistoryCursor, listMyEnrolments } from './participant.ts';
import { reportAbsence } from './participant-actions.ts';
import { participantActorOf } from '../testing/lifecycle.ts';

const self = (user: { id: string; roles: Actor['roles'] }): Actor => ({ id: user.id, roles: user.roles, source: 'participant' });

it('accepts only history ids as page cursors', () => {
  expect(isHistoryCursor(newId())).toBe(true);
  expect(isHistoryCursor(undefined)).toBe(false);
  expect(isHistoryCursor("' OR 1=1 --")).toBe(false);
  expect(isHistoryCursor('01arz3ndektsv4rrffq69g5fav')).toBe(false);
});

describeEachDatabase('participant service', (store) => {
  const db = () => store().db;

  async function completedClassroom() {
    const teacher = await makeUser(db(), ['teacher'], 'Docent Dirk');
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-14, -7, -1], points: 1.5, maxPoints: 4 });
    const ann = await makeUser(db(), ['participant'], 'Ann Peeters');
    const e = await enrol(db(), run, ann.id);
    return { teacher, run, ann, e };
  }

  it('lists only the actor\'s own enrolments, with run, status, credited points and valid certificate', async () => {
    const { teacher, run, ann, e } = await completedClassroom();
    const bert = await makeUser(db(), ['participant']);
    await enrol(db(), run, bert.id);
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, allMeetings: true, status: 'completed', effort: 'good' });

    const { enrolments } = await listMyEnrolments(db(), self(ann));
    expect(enrolments).toHaveLength(1);
    const [mine] = enrolments;
    // Three meetings of 1.5 against a course maximum of 4 (R5).
    expect(mine).toMatchObject({ id: e.id, status: 'completed', points: 4, courseKind: 'classroom', maxStudyPoints: 4 });
    expect(mine!.run).toMatchObject({ place: 'Gent', startsOn: run.startsOn, cancelled: false });
    expect(mine!.certificate?.number).toMatch(/^PRS-\d{4}-/);
  });

  it('shows an enrolment without a run as needing a run choice, and adds the transcript up per course', async () => {
    const teacher = await makeUser(db(), ['teacher']);
    const course = await makeCourse(db(), { maxPoints: 10 });
    const first = await makeRun(db(), { teacherId: teacher.id, courseId: course.id, meetingDays: [-30], points: 2 });
    const second = await makeRun(db(), { teacherId: teacher.id, courseId: course.id, meetingDays: [-3], points: 1.25 });
    const other = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-2], points: 0.5 });
    const user = await makeUser(db());
    const e1 = await enrol(db(), first, user.id, { status: 'failed' });
    const e2 = await enrol(db(), second, user.id);
    const e3 = await enrol(db(), other, user.id);
    await teacherSaves(db(), teacher, first.id, e1.id, { present: true, allMeetings: true, status: 'failed' });
    await teacherSaves(db(), teacher, second.id, e2.id, { present: true, allMeetings: true });
    await teacherSaves(db(), teacher, other.id, e3.id, { present: true, allMeetings: true });
    const pending = await enrol(db(), { id: first.id, courseId: (await makeCourse(db())).id }, user.id, { status: 'run_choice_required' });
    await db().updateTable('enrolments').set({ run_id: null }).where('id', '=', pending.id).execute();

    const { enrolments, transcript } = await listMyEnrolments(db(), self(user));
    expect(enrolments.map((x) => x.id).sort()).toEqual([e1.id, e2.id, e3.id, pending.id].sort());
    expect(enrolments.find((x) => x.id === pending.id)).toMatchObject({ status: 'run_choice_required', run: null, points: 0, certificate: null });
    expect(transcript.lines).toHaveLength(2);
    expect(transcript.lines.find((l) => l.courseId === course.id)).toMatchObject({ points: 3.25, maxStudyPoints: 10 });
    expect(transcript.total).toBe(3.75);
  });

  it('gives the owner the enrolment in full: attendance per meeting, points, effort, certificate and history (R3, R6, R9)', async () => {
    const { teacher, run, ann, e } = await completedClassroom();
    const [m1, m2, m3] = run.meetings;
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, meetingIds: [m1!.id] });
    await teacherSaves(db(), teacher, run.id, e.id, { present: false, meetingIds: [m2!.id] });
    // Ann reported, the week before, that she would miss the last meeting ("Afwezigheid melden").
    const weekBefore = new Date(Date.parse(m3!.starts_at) - 7 * 86_400_000);
    expect(await reportAbsence(db(), participantActorOf(ann), { enrolmentId: e.id, meetingId: m3!.id, reason: 'Tandarts' }, weekBefore)).toEqual({ ok: true });
    await teacherSaves(db(), teacher, run.id, e.id, { status: 'completed', effort: 'excellent', effortComment: 'Sterk: altijd voorbereid' });

    const detail = await getMyEnrolment(db(), self(ann), e.id);
    expect(detail.enrolment).toMatchObject({ status: 'completed', effort: 'excellent', effort_comment: 'Sterk: altijd voorbereid', max_study_points: 4 });
    expect(detail.meetings.map((m) => [m.attendance, m.creditedPoints])).toEqual([
      ['present', 1.5],
      ['absent', 0],
      ['reported_absent', 0],
    ]);
    expect(detail.points).toBe(1.5);
    expect(detail.certificates).toMatchObject([{ revoked_at: null, study_points: 1.5 }]);

    const rows = detail.history.rows;
    expect(rows.map((h) => h.id)).toEqual([...rows.map((h) => h.id)].sort().reverse());
    expect(rows[0]).toMatchObject({ source: 'teacher_form', actor_name: 'Docent Dirk' });
    expect(rows.map((h) => [h.field, h.old_value, h.new_value])).toEqual(
      expect.arrayContaining([
        ['status', 'enrolled', 'completed'],
        ['effort', null, 'excellent: Sterk: altijd voorbereid'],
        ['attendance', null, 'present'],
        ['attendance', null, 'absent'],
        ['points', '0', '1.5'],
        ['certificate', null, detail.certificates[0]!.number],
      ]),
    );
    expect(detail.history).toMatchObject({ nextBefore: null, isFirstPage: true });
  });

  it('tells anyone but the owner, administrators included, that the enrolment does not exist', async () => {
    const { e, teacher } = await completedClassroom();
    const stranger = await makeUser(db(), ['participant']);
    const admin = await makeUser(db(), ['admin', 'participant']);
    for (const actor of [self(stranger), self(admin), self(teacher)]) {
      await expect(getMyEnrolment(db(), actor, e.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    }
    await expect(getMyEnrolment(db(), self(stranger), newId())).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('pages the history newest first with a keyset cursor, without gaps or repeats', async () => {
    const { ann, e, run } = await completedClassroom();
    const total = HISTORY_PAGE_SIZE + 7;
    const ids = Array.from({ length: total }, () => newId());
    await appendHistory(
      db(),
      ids.map((id, i) => ({
        id,
        at: new Date(Date.now() - (total - i) * 1000).toISOString(),
        actor_id: null,
        source: 'teacher_form' as const,
        user_id: ann.id,
        enrolment_id: e.id,
        run_id: run.id,
        meeting_id: null,
        field: 'points' as const,
        old_value: String(i),
        new_value: String(i + 1),
        note: null,
      })),
    );
    const first = await getMyEnrolment(db(), self(ann), e.id);
    expect(first.history.rows).toHaveLength(HISTORY_PAGE_SIZE);
    expect(first.history.rows[0]!.id).toBe(ids[total - 1]);
    expect(first.history.nextBefore).toBe(first.history.rows[HISTORY_PAGE_SIZE - 1]!.id);

    const second = await getMyEnrolment(db(), self(ann), e.id, { before: first.history.nextBefore! });
    expect(second.history).toMatchObject({ nextBefore: null, isFirstPage: false });
    expect([...first.history.rows, ...second.history.rows].map((h) => h.id)).toEqual([...ids].reverse());

    // Something that is not a cursor we made is ignored: the first page again.
    const forged = await getMyEnrolment(db(), self(ann), e.id, { before: "zzz' OR 1=1" });
    expect(forged.history.rows[0]!.id).toBe(ids[total - 1]);
  });
});
