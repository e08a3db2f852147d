import { expect, it } from 'vitest';
import { newId, nowIso } from '../db/index.ts';
import { decodeCursor } from '../db/keyset.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { actorOf, enrol, makeCourse, makeUser } from '../testing/factories.ts';
import { getRunOverview, readRunFilters } from './run-overview.ts';
import { addMeeting, assignTeacher, copyRun, createRun, deleteMeeting, getRunPage, removeTeacher, updateMeeting, updateRun } from './runs-admin.ts';
import { listMyRuns } from './teacher-runs.ts';

const runForm = (over: Record<string, string> = {}) => ({ code: `r-${newId().slice(-8)}`, place: 'Gent', capacity: '12', startsOn: '2026-03-16', endsOn: '2026-03-31', ...over });

describeEachDatabase('run administration: runs, meetings, teachers, overview', (store) => {
  const db = () => store().db;
  const setUp = async (maxPoints = 3) => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const { id: courseId } = await makeCourse(db(), { maxPoints });
    const saved = await createRun(db(), admin, courseId, runForm());
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    return { admin, courseId, runId: saved.id };
  };

  it('creates a run and its meetings in Brussels time, stored in UTC; the DST Sunday keeps its wall-clock time', async () => {
    const { admin, runId } = await setUp();
    const run = await db().selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ place: 'Gent', capacity: 12, starts_on: '2026-03-16', ends_on: '2026-03-31', cancelled_at: null });
    expect(run.code).toMatch(/^R-/);
    // Saturday before and the Sunday of the change to summer time (29 March 2026), both at 09:00–12:00 in Brussels.
    expect((await addMeeting(db(), admin, runId, { date: '2026-03-28', startTime: '09:00', endTime: '12:00', place: '', studyPoints: '1' })).ok).toBe(true);
    expect((await addMeeting(db(), admin, runId, { date: '2026-03-29', startTime: '09:00', endTime: '12:00', place: 'Lokaal 2', studyPoints: '1' })).ok).toBe(true);
    const meetings = await db().selectFrom('meetings').select(['starts_at', 'ends_at', 'place']).where('run_id', '=', runId).orderBy('starts_at').execute();
    expect(meetings).toEqual([
      { starts_at: '2026-03-28T08:00:00.000Z', ends_at: '2026-03-28T11:00:00.000Z', place: 'Gent' },
      { starts_at: '2026-03-29T07:00:00.000Z', ends_at: '2026-03-29T10:00:00.000Z', place: 'Lokaal 2' },
    ]);
    const history = await db().selectFrom('history').select(['field', 'actor_id', 'source']).where('run_id', '=', runId).orderBy('id').execute();
    expect(history).toEqual([
      { field: 'run', actor_id: admin.id, source: 'admin' },
      { field: 'meeting', actor_id: admin.id, source: 'admin' },
      { field: 'meeting', actor_id: admin.id, source: 'admin' },
    ]);
  });

  it('warns, without refusing, when the meetings carry more points than the course maximum', async () => {
    const { admin, runId } = await setUp(2);
    await addMeeting(db(), admin, runId, { date: '2026-03-17', startTime: '09:00', endTime: '12:00', studyPoints: '1,5' });
    expect((await getRunPage(db(), admin, runId)).pointsWarning).toBeNull();
    expect((await addMeeting(db(), admin, runId, { date: '2026-03-18', startTime: '09:00', endTime: '12:00', studyPoints: '1' })).ok).toBe(true);
    expect((await getRunPage(db(), admin, runId)).pointsWarning).toEqual({ total: 2.5, maximum: 2 });
  });

  it('refuses to delete a meeting with registered attendance, saying how many; moves it instead; deletes one without', async () => {
    const { admin, runId, courseId } = await setUp();
    await addMeeting(db(), admin, runId, { date: '2026-03-17', startTime: '09:00', endTime: '12:00', studyPoints: '1' });
    await addMeeting(db(), admin, runId, { date: '2026-03-18', startTime: '09:00', endTime: '12:00', studyPoints: '1' });
    const [held, empty] = await db().selectFrom('meetings').select('id').where('run_id', '=', runId).orderBy('starts_at').execute();
    const participant = await makeUser(db());
    const e = await enrol(db(), { id: runId, courseId }, participant.id);
    await db().insertInto('attendance').values({ enrolment_id: e.id, meeting_id: held!.id, present: 1, reported_absent_at: null, study_points: 1, points_override_by: null, points_override_at: null, recorded_by: admin.id, recorded_at: nowIso() }).execute();

    expect(await deleteMeeting(db(), admin, runId, held!.id)).toEqual({ ok: false, reason: 'meeting_has_attendance', attendance: 1 });
    expect(await db().selectFrom('meetings').select('id').where('id', '=', held!.id).execute()).toHaveLength(1);
    expect(await updateMeeting(db(), admin, runId, held!.id, { date: '2026-03-20', startTime: '13:00', endTime: '16:00', place: 'Brugge', studyPoints: '1' })).toEqual({ ok: true, id: held!.id });
    expect(await db().selectFrom('meetings').select(['starts_at', 'place']).where('id', '=', held!.id).executeTakeFirst()).toEqual({ starts_at: '2026-03-20T12:00:00.000Z', place: 'Brugge' });
    expect(await db().selectFrom('attendance').select('present').where('meeting_id', '=', held!.id).execute()).toEqual([{ present: 1 }]);

    expect(await deleteMeeting(db(), admin, runId, empty!.id)).toEqual({ ok: true });
    expect(await db().selectFrom('meetings').select('id').where('run_id', '=', runId).execute()).toEqual([{ id: held!.id }]);
    const deleted = await db().selectFrom('history').select(['old_value', 'new_value']).where('meeting_id', '=', empty!.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(deleted.new_value).toBeNull();
    expect(JSON.parse(deleted.old_value!)).toMatchObject({ starts_at: '2026-03-18T08:00:00.000Z' });
  });

  it('refuses run dates that would leave a meeting outside, and a taken code', async () => {
    const { admin, runId } = await setUp();
    await addMeeting(db(), admin, runId, { date: '2026-03-17', startTime: '09:00', endTime: '12:00', studyPoints: '1' });
    const other = await setUp();
    const code = (await db().selectFrom('runs').select('code').where('id', '=', other.runId).executeTakeFirstOrThrow()).code;
    expect(await updateRun(db(), admin, runId, runForm({ code, startsOn: '2026-03-18' }))).toEqual({
      ok: false,
      errors: { code: { reason: 'code_taken' }, startsOn: { reason: 'meetings_outside', detail: '2026-03-17 – 2026-03-17' } },
    });
    expect(await updateRun(db(), admin, runId, runForm({ code: 'NIEUW-CODE-1', place: 'Brugge', capacity: '' }))).toEqual({ ok: true, id: runId });
    expect(await db().selectFrom('runs').select(['code', 'place', 'capacity']).where('id', '=', runId).executeTakeFirst()).toEqual({ code: 'NIEUW-CODE-1', place: 'Brugge', capacity: null });
  });

  it('copies a run with its meetings to new dates, at the same wall-clock times across the DST change', async () => {
    const { admin, runId, courseId } = await setUp();
    await addMeeting(db(), admin, runId, { date: '2026-03-22', startTime: '09:00', endTime: '12:00', studyPoints: '1' });
    await addMeeting(db(), admin, runId, { date: '2026-03-24', startTime: '18:30', endTime: '21:00', place: 'Lokaal 3', studyPoints: '0,5' });
    const copied = await copyRun(db(), admin, runId, { code: 'KOPIE-1', startsOn: '2026-03-23' });
    expect(copied.ok).toBe(true);
    const id = (copied as { id: string }).id;
    expect(await db().selectFrom('runs').select(['course_id', 'code', 'place', 'capacity', 'starts_on', 'ends_on']).where('id', '=', id).executeTakeFirst()).toEqual({
      course_id: courseId,
      code: 'KOPIE-1',
      place: 'Gent',
      capacity: 12,
      starts_on: '2026-03-23',
      ends_on: '2026-04-07',
    });
    const meetings = await db().selectFrom('meetings').select(['starts_at', 'ends_at', 'place', 'study_points']).where('run_id', '=', id).orderBy('starts_at').execute();
    expect(meetings).toEqual([
      // 22 March 09:00 (UTC+1) → 29 March 09:00 (UTC+2): the Sunday of the change.
      { starts_at: '2026-03-29T07:00:00.000Z', ends_at: '2026-03-29T10:00:00.000Z', place: 'Gent', study_points: 1 },
      { starts_at: '2026-03-31T16:30:00.000Z', ends_at: '2026-03-31T19:00:00.000Z', place: 'Lokaal 3', study_points: 0.5 },
    ]);
    expect(await copyRun(db(), admin, runId, { code: 'kopie-1', startsOn: 'morgen' })).toEqual({ ok: false, errors: { code: { reason: 'code_taken' }, startsOn: { reason: 'date' } } });
  });

  it('assigns and removes teachers; a teacher sees exactly the runs assigned under Mijn te geven opleidingen', async () => {
    const { admin, runId } = await setUp();
    const second = await setUp();
    const teacher = await makeUser(db(), ['teacher'], 'Docent Zoekbaar Janssens');
    const participant = await makeUser(db(), ['participant'], 'Deelnemer Zoekbaar');
    expect((await listMyRuns(db(), actorOf(teacher))).current).toEqual([]);

    const found = await getRunPage(db(), admin, runId, { teacherQuery: 'zoekbaar' });
    expect(found.candidates.map((c) => c.id)).toEqual([teacher.id]);
    expect(await assignTeacher(db(), admin, runId, teacher.id)).toEqual({ ok: true, name: 'Docent Zoekbaar Janssens' });
    expect(await assignTeacher(db(), admin, runId, teacher.id)).toEqual({ ok: true, name: 'Docent Zoekbaar Janssens' });
    expect(await assignTeacher(db(), admin, second.runId, participant.id)).toEqual({ ok: false, errors: { teacher: { reason: 'not_a_teacher' } } });
    const mine = await listMyRuns(db(), actorOf(teacher), new Date('2026-03-20T12:00:00Z'));
    expect([...mine.current, ...mine.past].map((r) => r.id)).toEqual([runId]);
    expect((await getRunPage(db(), admin, runId, { teacherQuery: 'JANSSENS' })).candidates).toEqual([expect.objectContaining({ id: teacher.id, assigned: true })]);

    await removeTeacher(db(), admin, runId, teacher.id);
    const after = await listMyRuns(db(), actorOf(teacher), new Date('2026-03-20T12:00:00Z'));
    expect([...after.current, ...after.past]).toEqual([]);
    await expect(removeTeacher(db(), admin, runId, teacher.id)).rejects.toThrow(NotFoundOrNoAccess);
    const history = await db().selectFrom('history').select(['field', 'user_id', 'actor_id', 'old_value', 'new_value']).where('run_id', '=', runId).where('field', '=', 'teacher').orderBy('id').execute();
    expect(history).toEqual([
      { field: 'teacher', user_id: teacher.id, actor_id: admin.id, old_value: null, new_value: 'assigned' },
      { field: 'teacher', user_id: teacher.id, actor_id: admin.id, old_value: 'assigned', new_value: null },
    ]);
  });

  it('lists every run latest first, filtered by course, place, date range, teacher and state, a keyset page at a time', async () => {
    const admin = actorOf(await makeUser(db(), ['admin']));
    const { id: courseId } = await makeCourse(db());
    const code = (await db().selectFrom('courses').select('code').where('id', '=', courseId).executeTakeFirstOrThrow()).code;
    const teacher = await makeUser(db(), ['teacher']);
    const email = (await db().selectFrom('users').select('email').where('id', '=', teacher.id).executeTakeFirstOrThrow()).email;
    const ids: Record<string, string> = {};
    for (const [name, startsOn, endsOn, place] of [
      ['past', '2026-01-05', '2026-01-20', 'Gent'],
      ['running', '2026-03-01', '2026-03-31', 'Filterstad'],
      ['planned', '2026-05-01', '2026-05-20', 'Filterstad'],
      ['cancelled', '2026-06-01', '2026-06-02', 'Gent'],
    ] as const) {
      const saved = (await createRun(db(), admin, courseId, runForm({ startsOn, endsOn, place }))) as { id: string };
      ids[name] = saved.id;
    }
    await db().updateTable('runs').set({ cancelled_at: nowIso() }).where('id', '=', ids.cancelled!).execute();
    await assignTeacher(db(), admin, ids.running!, teacher.id);
    await assignTeacher(db(), admin, ids.past!, teacher.id);
    const now = new Date('2026-03-15T10:00:00Z');
    const list = async (query: Record<string, string>) =>
      (await getRunOverview(db(), admin, readRunFilters((n) => ({ course: code, ...query })[n]), {}, now)).runs.rows.map((r) => r.id);

    expect(await list({})).toEqual([ids.cancelled, ids.planned, ids.running, ids.past]);
    expect(await list({ state: 'running' })).toEqual([ids.running]);
    expect(await list({ state: 'planned' })).toEqual([ids.planned]);
    expect(await list({ state: 'finished' })).toEqual([ids.past]);
    expect(await list({ state: 'cancelled' })).toEqual([ids.cancelled]);
    expect(await list({ place: 'Filterstad' })).toEqual([ids.planned, ids.running]);
    expect(await list({ from: '2026-03-20', to: '2026-05-01' })).toEqual([ids.planned, ids.running]);
    expect(await list({ teacher: email.toUpperCase() })).toEqual([ids.running, ids.past]);
    expect(await list({ teacher: 'niemand@example.test' })).toEqual([]);
    expect(await list({ course: 'BESTAAT-NIET' })).toEqual([]);
    expect(await list({ state: 'weird', from: '2026-02-30' })).toEqual([ids.cancelled, ids.planned, ids.running, ids.past]);

    // A course's new version keeps its code: the course filter shows the runs of every version.
    const v2 = newId();
    await db().insertInto('courses').values({ id: v2, code, title: 'Versie 2', kind: 'classroom', max_study_points: 3, description: null, study_term_days: null, study_term_ends_on: null, version: 2, replaces_course_id: courseId, knowledge_centre_url: null, elearning_url: null, archived_at: null, cancelled_at: null, created_at: nowIso() }).execute();
    const v2Run = (await createRun(db(), admin, v2, runForm({ startsOn: '2026-09-01', endsOn: '2026-09-02' }))) as { id: string };
    expect(await list({ state: 'planned' })).toEqual([v2Run.id, ids.planned]);
    const overview = await getRunOverview(db(), admin, readRunFilters((n) => ({ course: code })[n as 'course']), {}, now);
    expect(overview.teachers.get(ids.running!)).toEqual([teacher.name]);
    // Pages of 50: 55 runs of one place give 50, then 5, and back.
    const { id: other } = await makeCourse(db());
    for (let i = 0; i < 55; i += 1) await createRun(db(), admin, other, runForm({ place: 'Paginastad', startsOn: `2026-07-${String((i % 28) + 1).padStart(2, '0')}`, endsOn: '2026-08-31' }));
    const filters = readRunFilters((n) => ({ place: 'Paginastad' })[n as 'place']);
    const first = await getRunOverview(db(), admin, filters, {}, now);
    expect(first.runs.rows).toHaveLength(50);
    const second = await getRunOverview(db(), admin, filters, { after: decodeCursor(first.runs.next, 2) }, now);
    expect(second.runs.rows).toHaveLength(5);
    expect(new Set([...first.runs.rows, ...second.runs.rows].map((r) => r.id)).size).toBe(55);
    const back = await getRunOverview(db(), admin, filters, { before: decodeCursor(second.runs.previous, 2) }, now);
    expect(back.runs.rows.map((r) => r.id)).toEqual(first.runs.rows.map((r) => r.id));
  });

  it('lets only administrators in', async () => {
    const { runId, courseId } = await setUp();
    const teacher = actorOf(await makeUser(db(), ['teacher']));
    await expect(createRun(db(), teacher, courseId, runForm())).rejects.toThrow(NotFoundOrNoAccess);
    await expect(addMeeting(db(), teacher, runId, { date: '2026-03-17', startTime: '09:00', endTime: '12:00', studyPoints: '1' })).rejects.toThrow(NotFoundOrNoAccess);
    await expect(assignTeacher(db(), teacher, runId, teacher.id)).rejects.toThrow(NotFoundOrNoAccess);
    await expect(copyRun(db(), teacher, runId, { code: 'X-1', startsOn: '2026-04-01' })).rejects.toThrow(NotFoundOrNoAccess);
    await expect(getRunOverview(db(), teacher, readRunFilters(() => undefined), {})).rejects.toThrow(NotFoundOrNoAccess);
    expect(await db().selectFrom('run_teachers').select('user_id').where('run_id', '=', runId).execute()).toEqual([]);
  });
});
