import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import { TestBrowser, testApp } from '../testing/http.ts';
import { makeCourseContent } from '../testing/lifecycle.ts';

/**
 * The authorisation and CSRF matrices, driven by the app's own route table: every route must have an
 * entry here, so a route added without one fails this test.
 */
type Who = 'anonymous' | 'participant' | 'otherTeacher' | 'teacher' | 'admin';
const EVERYONE: readonly Who[] = ['anonymous', 'participant', 'otherTeacher', 'teacher', 'admin'];

interface Fixture {
  runId: string;
  enrolmentId: string;
  courseTitle: string;
  participantId: string;
  certificateId: string;
  verificationCode: string;
  courseId: string;
  fileId: string;
  moduleKey: string;
  futureMeetingId: string;
}

interface RouteCase {
  path: (f: Fixture) => string;
  /** Form fields of a harmless, valid request (POST routes). */
  form?: (f: Fixture) => [string, string][];
  /** The status each kind of visitor gets; 303 to the login page for the anonymous where sign-in is needed. */
  expect: Record<Who, number>;
  /** A secret of the thing behind the route that a refusal must not reveal. */
  secret?: (f: Fixture) => string;
}

const signedIn = (status: number): Record<Who, number> => ({ anonymous: 303, participant: status, otherTeacher: status, teacher: status, admin: status });

const ROUTES: Record<string, RouteCase> = {
  'GET /static/app.css': { path: () => '/static/app.css', expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 } },
  'GET /static/app.js': { path: () => '/static/app.js', expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 } },
  'GET /login': { path: () => '/login', expect: { anonymous: 200, participant: 303, otherTeacher: 303, teacher: 303, admin: 303 } },
  'POST /login': {
    path: () => '/login',
    form: () => [
      ['email', 'niemand@presentia.test'],
      ['password', 'fout'],
    ],
    expect: { anonymous: 401, participant: 401, otherTeacher: 401, teacher: 401, admin: 401 },
  },
  'POST /logout': { path: () => '/logout', form: () => [], expect: { anonymous: 303, participant: 303, otherTeacher: 303, teacher: 303, admin: 303 } },
  'POST /language': {
    path: () => '/language',
    form: () => [
      ['locale', 'nl'],
      ['next', '/'],
    ],
    expect: { anonymous: 303, participant: 303, otherTeacher: 303, teacher: 303, admin: 303 },
  },
  'GET /': { path: () => '/', expect: signedIn(200) },
  'GET /teacher/runs': { path: () => '/teacher/runs', expect: { anonymous: 303, participant: 404, otherTeacher: 200, teacher: 200, admin: 404 } },
  'GET /teacher/runs/:runId': {
    path: (f) => `/teacher/runs/${f.runId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /teacher/runs/:runId': {
    path: (f) => `/teacher/runs/${f.runId}`,
    form: (f) => [
      ['row', f.enrolmentId],
      [`version.${f.enrolmentId}`, '1'],
      [`status.${f.enrolmentId}`, ''],
      [`effort.${f.enrolmentId}`, ''],
      [`comment.${f.enrolmentId}`, ''],
    ],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 303, admin: 303 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin': { path: () => '/admin', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'GET /me/enrolments': { path: () => '/me/enrolments', expect: signedIn(200) },
  'GET /me/enrolments/:id': {
    path: (f) => `/me/enrolments/${f.enrolmentId}`,
    expect: { anonymous: 303, participant: 200, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'GET /me/certificates/:file{[0-9A-Za-z]+\\.pdf}': {
    path: (f) => `/me/certificates/${f.certificateId}.pdf`,
    expect: { anonymous: 303, participant: 200, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /verify': { path: () => '/verify', expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 } },
  'GET /verify/:code': {
    path: (f) => `/verify/${f.verificationCode}`,
    expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 },
  },
  'GET /account': { path: () => '/account', expect: signedIn(200) },
  'GET /account/data.json': { path: () => '/account/data.json', expect: signedIn(200) },
  'GET /account/password': { path: () => '/account/password', expect: signedIn(200) },
  'POST /account/password': {
    path: () => '/account/password',
    form: () => [
      ['current', 'fout'],
      ['new', 'een-nieuw-wachtwoord'],
      ['repeat', 'een-nieuw-wachtwoord'],
    ],
    expect: signedIn(422),
  },
  'GET /admin/users': { path: () => '/admin/users', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'GET /admin/users/:id': {
    path: (f) => `/admin/users/${f.participantId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'POST /admin/users/:id/anonymise': {
    path: (f) => `/admin/users/${f.participantId}/anonymise`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'GET /admin/course-content': { path: () => '/admin/course-content', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'GET /admin/course-content/:courseId': {
    path: (f) => `/admin/course-content/${f.courseId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/course-content/:courseId/knowledge-centre': {
    path: (f) => `/admin/course-content/${f.courseId}/knowledge-centre`,
    form: () => [['markdown', '# Welkom']],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 303 },
  },
  'POST /admin/course-content/:courseId/files': {
    path: (f) => `/admin/course-content/${f.courseId}/files`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'POST /admin/course-content/:courseId/elearning': {
    path: (f) => `/admin/course-content/${f.courseId}/elearning`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'GET /admin/enrolments/:id/withdraw': {
    path: (f) => `/admin/enrolments/${f.enrolmentId}/withdraw`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/enrolments/:id/withdraw': {
    path: (f) => `/admin/enrolments/${f.enrolmentId}/withdraw`,
    form: () => [
      ['withdrawnOn', '2026-11-30'],
      ['proofNote', ''],
    ],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/knowledge-centre': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/knowledge-centre`,
    form: () => [],
    expect: { anonymous: 303, participant: 303, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'GET /me/enrolments/:id/knowledge-centre': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/knowledge-centre`,
    expect: { anonymous: 303, participant: 200, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'GET /me/enrolments/:id/knowledge-centre/files/:fileId': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/knowledge-centre/files/${f.fileId}`,
    expect: { anonymous: 303, participant: 200, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/elearning': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/elearning`,
    form: () => [],
    expect: { anonymous: 303, participant: 303, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/run': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/run`,
    form: (f) => [['runId', f.runId]],
    expect: { anonymous: 303, participant: 422, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/withdraw': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/withdraw`,
    form: () => [['reason', '']],
    expect: { anonymous: 303, participant: 422, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/absences/:meetingId': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/absences/${f.futureMeetingId}`,
    form: () => [['reason', 'Ziek']],
    expect: { anonymous: 303, participant: 303, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'POST /me/enrolments/:id/absences/:meetingId/delete': {
    path: (f) => `/me/enrolments/${f.enrolmentId}/absences/${f.futureMeetingId}/delete`,
    form: () => [],
    expect: { anonymous: 303, participant: 303, otherTeacher: 404, teacher: 404, admin: 404 },
    secret: (f) => f.courseTitle,
  },
  'GET /courses/:courseId/elearning/:key/*': {
    path: (f) => `/courses/${f.courseId}/elearning/${f.moduleKey}/index.html`,
    expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 },
  },
};

describeEachDatabase('route matrix', (store) => {
  async function setUp() {
    const db = store().db;
    const app = testApp(store());
    const teacher = await makeUser(db, ['teacher']);
    const otherTeacher = await makeUser(db, ['teacher']);
    await makeRun(db, { teacherId: otherTeacher.id });
    const participant = await makeUser(db, ['participant']);
    const admin = await makeUser(db, ['admin']);
    const courseTitle = `Geheime cursus ${teacher.id}`;
    const run = await makeRun(db, { teacherId: teacher.id });
    await db.updateTable('courses').set({ title: courseTitle }).where('id', '=', run.courseId).execute();
    const e = await enrol(db, run, participant.id);
    const { id: certificateId, verificationCode } = await makeCertificate(db, { enrolmentId: e.id, userId: participant.id, courseId: run.courseId });
    const content = await makeCourseContent(db, run.courseId, admin.id);
    const fixture: Fixture = {
      runId: run.id,
      enrolmentId: e.id,
      courseTitle,
      certificateId,
      verificationCode,
      participantId: participant.id,
      courseId: run.courseId,
      fileId: content.fileId,
      moduleKey: content.moduleKey,
      futureMeetingId: run.meetings[2]!.id,
    };
    const browsers = async (): Promise<Record<Who, TestBrowser>> => ({
      anonymous: await (async () => {
        const b = new TestBrowser(app);
        await b.get('/login');
        return b;
      })(),
      participant: await TestBrowser.signedIn(app, store(), participant.id),
      otherTeacher: await TestBrowser.signedIn(app, store(), otherTeacher.id),
      teacher: await TestBrowser.signedIn(app, store(), teacher.id),
      admin: await TestBrowser.signedIn(app, store(), admin.id),
    });
    return { app, fixture, browsers };
  }

  it('has an entry for every route of the app', async () => {
    const { app } = await setUp();
    const routes = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect([...routes].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('gives each kind of visitor the expected answer on every route, revealing nothing when refusing', async () => {
    const { fixture, browsers } = await setUp();
    for (const [route, c] of Object.entries(ROUTES)) {
      for (const who of EVERYONE) {
        const browser = (await browsers())[who];
        const path = c.path(fixture);
        const response = c.form ? await browser.post(path, c.form(fixture)) : await browser.get(path);
        expect(`${route} as ${who}: ${response.status}`).toBe(`${route} as ${who}: ${c.expect[who]}`);
        if (c.expect[who] === 303 && who === 'anonymous' && c.expect.teacher !== 303) {
          expect(response.headers.get('location')).toMatch(/^\/login\?next=/);
        }
        if (response.status === 404 && c.secret) expect(await response.text()).not.toContain(c.secret(fixture));
      }
    }
  });

  it('refuses every state-changing route without a valid CSRF token or from a foreign origin', async () => {
    const { fixture, browsers } = await setUp();
    const all = await browsers();
    for (const [route, c] of Object.entries(ROUTES)) {
      if (!c.form) continue;
      for (const who of ['anonymous', 'teacher'] as const) {
        const browser = all[who];
        const path = c.path(fixture);
        const missing = await browser.post(path, c.form(fixture), { csrf: false });
        expect(`${route} without token as ${who}: ${missing.status}`).toBe(`${route} without token as ${who}: 403`);
        const wrong = await browser.post(path, [['_csrf', 'x'.repeat(32)], ...c.form(fixture)], { csrf: false });
        expect(`${route} wrong token as ${who}: ${wrong.status}`).toBe(`${route} wrong token as ${who}: 403`);
        const foreign = await browser.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
          body: new URLSearchParams([['_csrf', browser.csrfToken], ...c.form(fixture)]),
        });
        expect(`${route} foreign origin as ${who}: ${foreign.status}`).toBe(`${route} foreign origin as ${who}: 403`);
      }
    }
  });
});
