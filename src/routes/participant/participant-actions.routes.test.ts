import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { adminActorOf, makeCourseContent } from '../../testing/lifecycle.ts';
import { saveKnowledgeCentreText } from '../../services/course-content.ts';

describeEachDatabase('participant actions in the browser', (store) => {
  async function setUp() {
    const db = store().db;
    const app = testApp(store());
    const teacher = await makeUser(db, ['teacher']);
    const admin = await makeUser(db, ['admin']);
    const run = await makeRun(db, { teacherId: teacher.id, meetingDays: [20, 27] });
    const user = await makeUser(db);
    const e = await enrol(db, run, user.id);
    const content = await makeCourseContent(db, run.courseId, admin.id);
    const participant = await TestBrowser.signedIn(app, store(), user.id);
    return { db, app, run, e, admin, content, participant };
  }

  it('serves the module sandboxed: CSP sandbox without same-origin, no cookie set, only its own files', async () => {
    const { app, run, content } = await setUp();
    const response = await app.request(`/courses/${run.courseId}/elearning/${content.moduleKey}/index.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^sandbox allow-scripts/);
    expect(csp).not.toContain('allow-same-origin');
    expect(csp).toContain("connect-src 'none'");
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('Welkom in de module');
    expect((await app.request(`/courses/${run.courseId}/elearning/${content.moduleKey}/../../x`)).status).toBe(404);
    for (const path of [`${content.moduleKey}/%2e%2e/%2e%2e/presentia.db`, `${content.moduleKey}/..%2F..%2Fpresentia.db`, `${'0'.repeat(32)}/index.html`, `${content.moduleKey}/`]) {
      const refused = await app.request(`/courses/${run.courseId}/elearning/${path}`);
      expect(`${path} ${refused.status}`).toBe(`${path} 404`);
    }
    // A wrong key is answered by the module route itself, under the module's policy.
    const wrongKey = await app.request(`/courses/${run.courseId}/elearning/${'0'.repeat(32)}/index.html`);
    expect(wrongKey.headers.get('content-security-policy')).toMatch(/^sandbox/);
  });

  it('opening the e-learning sends the participant to the module and records nothing for a classroom course', async () => {
    const { participant, e, run, content, db } = await setUp();
    const response = await participant.post(`/me/enrolments/${e.id}/elearning`, []);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/courses/${run.courseId}/elearning/${content.moduleKey}/index.html`);
    expect((await db.selectFrom('enrolments').select('status').where('id', '=', e.id).executeTakeFirstOrThrow()).status).toBe('enrolled');
  });

  it('shows the knowledge centre sanitised, and starts the course when it is opened', async () => {
    const { participant, e, run, admin, db } = await setUp();
    await saveKnowledgeCentreText(db, adminActorOf(admin), run.courseId, '## Lees dit\n\n[kwaad](javascript:alert(1)) [goed](https://example.org)\n\n<script>alert(1)</script>');
    const opened = await participant.post(`/me/enrolments/${e.id}/knowledge-centre`, []);
    expect([opened.status, opened.headers.get('location')]).toEqual([303, `/me/enrolments/${e.id}/knowledge-centre#banner`]);
    const page = await (await participant.get(`/me/enrolments/${e.id}/knowledge-centre`)).text();
    expect(page).toContain('Je opleiding is gestart.');
    expect(page).toContain('<h4>Lees dit</h4>');
    expect(page).toContain('<a href="https://example.org" rel="noopener noreferrer">goed</a>');
    expect(page).not.toContain('alert(1)');
    expect((await db.selectFrom('enrolments').select('status').where('id', '=', e.id).executeTakeFirstOrThrow()).status).toBe('started');
  });

  it('a refused absence report comes back with the reason beside the field and the typed text kept', async () => {
    const { participant, e, run } = await setUp();
    const meeting = run.meetings[0]!;
    const refused = await participant.post(`/me/enrolments/${e.id}/absences/${meeting.id}`, [['reason', '   ']]);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('Geef een reden op.');
    expect(html).toContain(`id="absence-error-${meeting.id}"`);
    const done = await participant.post(`/me/enrolments/${e.id}/absences/${meeting.id}`, [['reason', 'Tandarts']]);
    expect([done.status, done.headers.get('location')]).toEqual([303, `/me/enrolments/${e.id}#banner`]);
    const page = await (await participant.get(`/me/enrolments/${e.id}`)).text();
    expect(page).toContain('Je afwezigheid is gemeld.');
    expect(page).toContain('Gemeld: Tandarts');
    // Said once: the message came with the session, not from the address.
    expect(await (await participant.get(`/me/enrolments/${e.id}`)).text()).not.toContain('Je afwezigheid is gemeld.');
  });
});
