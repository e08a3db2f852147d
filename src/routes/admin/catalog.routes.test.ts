import { expect, it } from 'vitest';
import { nowIso } from '../../db/index.ts';
import { messages } from '../../i18n/index.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeUser } from '../../testing/factories.ts';
import { pageText } from '../../testing/hostile.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';

const nl = messages('nl');
const en = messages('en');

describeEachDatabase('administrators’ catalogue pages', (store) => {
  const db = () => store().db;

  async function admin() {
    const app = testApp(store());
    const user = await makeUser(db(), ['admin']);
    return { app, user, browser: await TestBrowser.signedIn(app, store(), user.id) };
  }

  const courseFields = (over: Record<string, string> = {}): Record<string, string> => ({
    title: 'Brandpreventie <voor> "iedereen"',
    code: `BP-${Date.now().toString(36)}`,
    kind: 'classroom',
    description: 'Blussen & evacueren',
    maxStudyPoints: '3',
    studyTermDays: '',
    studyTermEndsOn: '',
    knowledgeCentreUrl: '',
    elearningUrl: '',
    ...over,
  });

  it('creates a course by post/redirect/get with a confirmation, and shows it in the list', async () => {
    const { browser } = await admin();
    const fields = courseFields();
    const created = await browser.post('/admin/courses', fields);
    expect(created.status).toBe(303);
    const location = created.headers.get('location')!;
    expect(location).toMatch(/^\/admin\/courses\/[0-9A-Z]+#flash$/);
    const page = pageText(await (await browser.get(location)).text());
    expect(page).toContain(nl.catalog.courses.created);
    expect(page).toContain('Brandpreventie <voor> "iedereen"');
    const list = await (await browser.get(`/admin/courses?q=${encodeURIComponent(fields.code!)}`)).text();
    expect(list).toContain('Brandpreventie &lt;voor&gt; &quot;iedereen&quot;');
  });

  it('returns a refused course form with every value kept and each reason beside its field, in Dutch and in English', async () => {
    const { browser, user } = await admin();
    const fields = courseFields({ title: 'Geweigerde cursus', code: 'met spatie', maxStudyPoints: 'drie', studyTermDays: '30', studyTermEndsOn: '2027-01-01', elearningUrl: 'javascript:alert(1)' });
    const refused = await browser.post('/admin/courses', fields);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('value="met spatie"');
    expect(html).toContain('value="drie"');
    expect(html).toContain('value="30"');
    expect(html).toContain('value="2027-01-01"');
    expect(html).toContain('value="javascript:alert(1)"');
    expect(html).toContain('>Blussen &amp; evacueren</textarea>');
    expect(html).toContain(`<p class="field-error" id="field-code-error">${nl.catalog.errors.code_format}</p>`);
    expect(html).toContain('aria-describedby="field-code-hint field-code-error"');
    expect(pageText(html)).toContain(nl.catalog.errors.points('1000'));
    expect(pageText(html)).toContain(nl.catalog.errors.term_both);
    expect(pageText(html)).toContain(nl.catalog.errors.url);
    expect(await db().selectFrom('courses').select('id').where('title', '=', fields.title!).execute()).toEqual([]);

    await db().updateTable('users').set({ locale: 'en' }).where('id', '=', user.id).execute();
    const english = await (await browser.post('/admin/courses', fields)).text();
    expect(pageText(english)).toContain(en.catalog.errors.code_format);
    expect(pageText(english)).toContain(en.views.errorSummaryTitle);
  });

  it('creates a run with meetings; refuses a meeting outside the run, keeping its values; warns about points; refuses to delete a meeting with attendance', async () => {
    const { browser, user } = await admin();
    const course = await browser.post('/admin/courses', courseFields({ maxStudyPoints: '1' }));
    const courseId = course.headers.get('location')!.split('/')[3]!.split(/[?#]/)[0]!;
    const run = await browser.post(`/admin/courses/${courseId}/runs`, { code: `R-${Date.now().toString(36)}`, place: 'Gent', capacity: '', startsOn: '2026-03-23', endsOn: '2026-04-03' });
    expect(run.status).toBe(303);
    const runPath = run.headers.get('location')!.split(/[?#]/)[0]!;
    expect(pageText(await (await browser.get(run.headers.get('location')!)).text())).toContain(nl.catalog.runs.created);

    const outside = await browser.post(`${runPath}/meetings`, { date: '2026-04-10', startTime: '09:00', endTime: '12:00', place: 'Zaal <1>', studyPoints: '1' });
    expect(outside.status).toBe(422);
    const outsideHtml = await outside.text();
    expect(outsideHtml).toContain('value="2026-04-10"');
    expect(outsideHtml).toContain('value="Zaal &lt;1&gt;"');
    expect(outsideHtml).toContain(`<p class="field-error" id="meeting-date-error">${nl.catalog.errors.outside_run('2026-03-23 – 2026-04-03')}</p>`);

    // Sunday 29 March 2026, the change to summer time: entered and shown at 09:00 Brussels time.
    for (const date of ['2026-03-28', '2026-03-29']) {
      const added = await browser.post(`${runPath}/meetings`, { date, startTime: '09:00', endTime: '12:00', place: '', studyPoints: '1' });
      expect(added.status).toBe(303);
    }
    const page = await (await browser.get(runPath)).text();
    expect(pageText(page)).toContain('zo 29 mrt 2026, 09:00 – 12:00');
    expect(pageText(page)).toContain(nl.catalog.runs.pointsWarning('2', '1'));

    const meetings = await db().selectFrom('meetings').select(['id', 'starts_at']).where('run_id', '=', runPath.split('/')[3]!).orderBy('starts_at').execute();
    expect(meetings.map((m) => m.starts_at)).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z']);
    const runRow = await db().selectFrom('runs').select(['id', 'course_id']).where('id', '=', runPath.split('/')[3]!).executeTakeFirstOrThrow();
    const e = await enrol(db(), { id: runRow.id, courseId: runRow.course_id }, (await makeUser(db())).id);
    await db().insertInto('attendance').values({ enrolment_id: e.id, meeting_id: meetings[0]!.id, present: 1, reported_absent_at: null, study_points: 1, points_override_by: null, points_override_at: null, recorded_by: user.id, recorded_at: nowIso() }).execute();

    const refused = await browser.get(`${runPath}/meetings/${meetings[0]!.id}/delete`);
    expect(refused.status).toBe(409);
    expect(pageText(await refused.text())).toContain(nl.catalog.runs.deleteRefused(1));
    const forced = await browser.post(`${runPath}/meetings/${meetings[0]!.id}/delete`, { confirm: '1' });
    expect(forced.status).toBe(409);
    expect(await db().selectFrom('meetings').select('id').where('id', '=', meetings[0]!.id).execute()).toHaveLength(1);

    const confirm = await browser.get(`${runPath}/meetings/${meetings[1]!.id}/delete`);
    expect(confirm.status).toBe(200);
    expect(pageText(await confirm.text())).toContain(nl.catalog.runs.deleteConsequence);
    const unconfirmed = await browser.post(`${runPath}/meetings/${meetings[1]!.id}/delete`, {});
    expect(unconfirmed.status).toBe(422);
    const deleted = await browser.post(`${runPath}/meetings/${meetings[1]!.id}/delete`, { confirm: '1' });
    expect(deleted.headers.get('location')).toBe(`${runPath}#flash`);
    expect(await db().selectFrom('meetings').select('id').where('id', '=', meetings[1]!.id).execute()).toEqual([]);
  });

  it('assigns a teacher found by e-mail; the teacher then sees the run under Mijn te geven opleidingen', async () => {
    const { app, browser } = await admin();
    const course = await browser.post('/admin/courses', courseFields({ title: 'Toewijzen-cursus' }));
    const courseId = course.headers.get('location')!.split('/')[3]!.split(/[?#]/)[0]!;
    const run = await browser.post(`/admin/courses/${courseId}/runs`, { code: `T-${Date.now().toString(36)}`, place: 'Leuven', startsOn: '2026-03-23', endsOn: '2026-04-03' });
    const runPath = run.headers.get('location')!.split(/[?#]/)[0]!;
    const teacher = await makeUser(db(), ['teacher'], 'Docent Toewijsbaar');
    const { email } = await db().selectFrom('users').select('email').where('id', '=', teacher.id).executeTakeFirstOrThrow();
    const search = await (await browser.get(`${runPath}?teacher=${encodeURIComponent(email.toUpperCase())}`)).text();
    expect(pageText(search)).toContain('Docent Toewijsbaar');
    const assigned = await browser.post(`${runPath}/teachers`, { userId: teacher.id });
    expect(assigned.status).toBe(303);
    expect(pageText(await (await browser.get(assigned.headers.get('location')!)).text())).toContain(nl.catalog.runs.teacherAssigned('Docent Toewijsbaar'));
    const participant = await makeUser(db(), ['participant']);
    const notTeacher = await browser.post(`${runPath}/teachers`, { userId: participant.id });
    expect(notTeacher.status).toBe(422);
    expect(pageText(await notTeacher.text())).toContain(nl.catalog.errors.not_a_teacher);

    const teacherBrowser = await TestBrowser.signedIn(app, store(), teacher.id);
    const mine = pageText(await (await teacherBrowser.get('/teacher/runs')).text());
    expect(mine).toContain('Toewijzen-cursus');
    expect(mine).toContain('Leuven');
    const runId = runPath.split('/')[3]!;
    expect((await teacherBrowser.get(`/teacher/runs/${runId}`)).status).toBe(200);
    expect((await teacherBrowser.get(runPath)).status).toBe(404);
  });

  it('opens the same participants page for administrators, with the admin-only statuses offered', async () => {
    const { browser } = await admin();
    const course = await browser.post('/admin/courses', courseFields());
    const courseId = course.headers.get('location')!.split('/')[3]!.split(/[?#]/)[0]!;
    const run = await browser.post(`/admin/courses/${courseId}/runs`, { code: `P-${Date.now().toString(36)}`, place: 'Gent', startsOn: '2026-03-23', endsOn: '2026-04-03' });
    const runId = run.headers.get('location')!.split('/')[3]!.split(/[?#]/)[0]!;
    const row = await db().selectFrom('runs').select('course_id').where('id', '=', runId).executeTakeFirstOrThrow();
    await enrol(db(), { id: runId, courseId: row.course_id }, (await makeUser(db(), ['participant'], 'Deelnemer Statussen')).id);
    const overview = await (await browser.get(`/admin?place=Gent&course=${encodeURIComponent((await db().selectFrom('courses').select('code').where('id', '=', courseId).executeTakeFirstOrThrow()).code)}`)).text();
    expect(overview).toContain(`href="/teacher/runs/${runId}"`);
    const participants = await browser.get(`/teacher/runs/${runId}`);
    expect(participants.status).toBe(200);
    const html = await participants.text();
    expect(html).toContain('Deelnemer Statussen');
    expect(html).toContain(`<option value="exempted">${nl.statuses.exempted}</option>`);
    expect(html).toContain(`<option value="archived">${nl.statuses.archived}</option>`);
  });
});
