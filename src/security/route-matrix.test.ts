import { expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.ts';
import { stageImport } from '../services/csv-import.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from '../testing/factories.ts';
import { TestBrowser, testApp } from '../testing/http.ts';

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
  /** A participant the administrator deactivates and reactivates. */
  bystanderId: string;
  /** A CSV file staged by the administrator. */
  importId: string;
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
  'GET /admin/users/new': { path: () => '/admin/users/new', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'POST /admin/users/new': { path: () => '/admin/users/new', form: () => [], expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 } },
  'POST /admin/users/:id': {
    path: (f) => `/admin/users/${f.participantId}`,
    form: () => [['email', 'geen-adres']],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'POST /admin/users/:id/deactivate': {
    path: (f) => `/admin/users/${f.bystanderId}/deactivate`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 303 },
  },
  'POST /admin/users/:id/reactivate': {
    path: (f) => `/admin/users/${f.bystanderId}/reactivate`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 303 },
  },
  'POST /admin/users/:id/password-link': {
    path: (f) => `/admin/users/${f.bystanderId}/password-link`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'GET /password/:token': { path: () => '/password/onbekend', expect: { anonymous: 410, participant: 410, otherTeacher: 410, teacher: 410, admin: 410 } },
  'POST /password/:token': {
    path: () => '/password/onbekend',
    form: () => [
      ['password', 'een-nieuw-wachtwoord'],
      ['repeat', 'een-nieuw-wachtwoord'],
    ],
    expect: { anonymous: 410, participant: 410, otherTeacher: 410, teacher: 410, admin: 410 },
  },
  'GET /admin/runs/:runId/enrolments': {
    path: (f) => `/admin/runs/${f.runId}/enrolments`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:runId/enrolments': {
    path: (f) => `/admin/runs/${f.runId}/enrolments`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:runId/enrolments/:enrolmentId/remove': {
    path: (f) => `/admin/runs/${f.runId}/enrolments/${f.enrolmentId}/remove`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:runId/waiting/:userId/remove': {
    path: (f) => `/admin/runs/${f.runId}/waiting/${f.participantId}/remove`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 409 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin/imports': { path: () => '/admin/imports', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'POST /admin/imports': { path: () => '/admin/imports', form: () => [['kind', 'users']], expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 } },
  'GET /admin/imports/:id': { path: (f) => `/admin/imports/${f.importId}`, expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'POST /admin/imports/:id': {
    path: (f) => `/admin/imports/${f.importId}`,
    form: () => [['mode', 'all']],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 303 },
  },
  'GET /admin/history': { path: () => '/admin/history', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
  'GET /admin/history.csv': { path: () => '/admin/history.csv', expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 } },
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
    const bystander = await makeUser(db, ['participant']);
    const importId = await stageImport(db, actorOf(admin), 'users', 'gebruikers.csv', `email;naam\nnieuw-${bystander.id.toLowerCase()}@example.test;Nieuw\n`);
    const fixture: Fixture = { runId: run.id, enrolmentId: e.id, courseTitle, certificateId, verificationCode, participantId: participant.id, bystanderId: bystander.id, importId };
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
