import { newId, nowIso, type Store } from '../db/index.ts';
import { renewCalendarFeed } from '../services/calendar-feed.ts';
import { stageImport } from '../services/csv-import.ts';
import { createWebhook } from '../services/webhooks.ts';
import { actorOf, enrol, makeCertificate, makeRun, makeUser } from './factories.ts';
import { callApi, makeApiToken } from './api.ts';
import { TestBrowser, testApp } from './http.ts';
import { makeCourseContent } from './lifecycle.ts';

/**
 * The app's route table as the security tests see it: every route with the status each kind of
 * visitor gets and a secret a refusal must not reveal. The authorisation/CSRF matrix
 * (src/security/route-matrix.test.ts) checks it route by route, and the fuzzer (scripts/fuzz.ts)
 * sends hostile variants of each entry. A route without an entry fails the matrix.
 */
export type Who = 'anonymous' | 'participant' | 'otherTeacher' | 'teacher' | 'admin';
export const EVERYONE: readonly Who[] = ['anonymous', 'participant', 'otherTeacher', 'teacher', 'admin'];

export interface Fixture {
  runId: string;
  courseId: string;
  enrolmentId: string;
  courseTitle: string;
  participantId: string;
  certificateId: string;
  verificationCode: string;
  meetingId: string;
  programmeId: string;
  /** A second teacher of the run, there to be removed by an administrator. */
  spareTeacherId: string;
  fileId: string;
  moduleKey: string;
  futureMeetingId: string;
  /** A participant the administrator deactivates and reactivates. */
  bystanderId: string;
  /** A CSV file staged by the administrator. */
  importId: string;
  /** The token of the participant's calendar feed address. */
  calendarToken: string;
  /** An API token, there to be revoked by an administrator. */
  apiTokenId: string;
  /** A webhook, there to be looked at, deactivated and deleted by an administrator. */
  webhookId: string;
}

/** Who calls the JSON API: no token, or a token of one kind (teacher tokens are personal tokens). */
export type ApiWho = 'none' | 'teacherRead' | 'teacherWrite' | 'otherTeacherWrite' | 'adminRead' | 'admin';
export const API_CALLERS: readonly ApiWho[] = ['none', 'teacherRead', 'teacherWrite', 'otherTeacherWrite', 'adminRead', 'admin'];

export interface RouteCase {
  path: (f: Fixture) => string;
  /**
   * A JSON API route: the method and JSON body of a harmless request, and the status each kind of
   * token gets. Every browser visitor (session cookie, CSRF token and all) gets 401: the API is
   * authorised by bearer tokens only.
   */
  api?: { method: 'GET' | 'POST' | 'PATCH'; json?: (f: Fixture) => unknown; headers?: Record<string, string>; expect: Record<ApiWho, number> };
  /** Form fields of a harmless, valid request (POST routes). */
  form?: (f: Fixture) => [string, string][];
  /** The status each kind of visitor gets; 303 to the login page for the anonymous where sign-in is needed. */
  expect: Record<Who, number>;
  /** A secret of the thing behind the route that a refusal must not reveal. */
  secret?: (f: Fixture) => string;
}

const adminOnly = (status: number): Record<Who, number> => ({ anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: status });
const signedIn = (status: number): Record<Who, number> => ({ anonymous: 303, participant: status, otherTeacher: status, teacher: status, admin: status });
const everyone = (status: number): Record<Who, number> => ({ anonymous: status, participant: status, otherTeacher: status, teacher: status, admin: status });
/** A JSON API route: 401 to every browser, `tokens` to each kind of token. */
const api = (method: 'GET' | 'POST' | 'PATCH', path: (f: Fixture) => string, tokens: Omit<Record<ApiWho, number>, 'none'>, extra: { json?: (f: Fixture) => unknown; headers?: Record<string, string> } = {}): RouteCase => ({
  path,
  expect: everyone(401),
  api: { method, ...extra, expect: { none: 401, ...tokens } },
  secret: (f) => f.courseTitle,
});
const ownRun = (status: number) => ({ teacherRead: status, teacherWrite: status, otherTeacherWrite: 404, adminRead: status, admin: status });
const adminScope = (status: number) => ({ teacherRead: 403, teacherWrite: 403, otherTeacherWrite: 403, adminRead: 403, admin: status });

export const ROUTES: Record<string, RouteCase> = {
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
  'GET /teacher/runs/:runId/attendance-sheets': {
    path: (f) => `/teacher/runs/${f.runId}/attendance-sheets`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /teacher/runs/:runId/attendance-sheet.pdf': {
    path: (f) => `/teacher/runs/${f.runId}/attendance-sheet.pdf`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /teacher/runs/:runId/meetings/:meetingId/attendance-sheet.pdf': {
    path: (f) => `/teacher/runs/${f.runId}/meetings/${f.meetingId}/attendance-sheet.pdf`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /teacher/runs/:runId/export.csv': {
    path: (f) => `/teacher/runs/${f.runId}/export.csv`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /teacher/runs/:runId/export.xlsx': {
    path: (f) => `/teacher/runs/${f.runId}/export.xlsx`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 200, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'GET /me/study-points': { path: () => '/me/study-points', expect: signedIn(200) },
  'GET /me/study-points.pdf': { path: () => '/me/study-points.pdf', expect: signedIn(200) },
  'GET /me/study-points.csv': { path: () => '/me/study-points.csv', expect: signedIn(200) },
  'GET /admin/users/:id/study-points.pdf': {
    path: (f) => `/admin/users/${f.participantId}/study-points.pdf`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'GET /admin/users/:id/study-points.csv': {
    path: (f) => `/admin/users/${f.participantId}/study-points.csv`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
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
  // The participant's own actions come before the administrator's lifecycle actions, which archive the course.
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
  'GET /admin/lifecycle': { path: () => '/admin/lifecycle', expect: adminOnly(200), secret: (f) => f.courseTitle },
  'GET /admin/certificates': { path: () => '/admin/certificates', expect: adminOnly(200), secret: (f) => f.courseTitle },
  // A reason and a certificate without `confirm`: the confirmation screen, which changes nothing.
  'POST /admin/certificates/revoke': {
    path: () => '/admin/certificates/revoke',
    form: (f) => [
      ['certificate', f.certificateId],
      ['scope', 'picked'],
      ['reason', 'Examen ongeldig verklaard'],
    ],
    expect: adminOnly(200),
    secret: (f) => f.courseTitle,
  },
  'GET /admin/lifecycle/courses/:id': { path: (f) => `/admin/lifecycle/courses/${f.courseId}`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/runs/:id/cancel': { path: (f) => `/admin/lifecycle/runs/${f.runId}/cancel`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  // Without a reason: refused, so that the route's answer is the same for each visitor in turn.
  'POST /admin/lifecycle/runs/:id/cancel': { path: (f) => `/admin/lifecycle/runs/${f.runId}/cancel`, form: () => [], expect: adminOnly(422), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/courses/:id/cancel': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/cancel`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'POST /admin/lifecycle/courses/:id/cancel': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/cancel`, form: () => [], expect: adminOnly(422), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/courses/:id/new-version': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/new-version`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'POST /admin/lifecycle/courses/:id/new-version': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/new-version`, form: () => [], expect: adminOnly(303), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/courses/:id/archive': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/archive`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'POST /admin/lifecycle/courses/:id/archive': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/archive`, form: () => [], expect: adminOnly(303), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/enrolments/:id/exempt': { path: (f) => `/admin/lifecycle/enrolments/${f.enrolmentId}/exempt`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'POST /admin/lifecycle/enrolments/:id/exempt': { path: (f) => `/admin/lifecycle/enrolments/${f.enrolmentId}/exempt`, form: () => [], expect: adminOnly(422), secret: (f) => f.courseTitle },
  'GET /admin/lifecycle/courses/:id/exemption-list': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/exemption-list`, expect: adminOnly(200), secret: (f) => f.courseTitle },
  'POST /admin/lifecycle/courses/:id/exemption-list': { path: (f) => `/admin/lifecycle/courses/${f.courseId}/exemption-list`, form: () => [], expect: adminOnly(422), secret: (f) => f.courseTitle },
  'GET /admin/courses': {
    path: () => '/admin/courses',
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'GET /admin/courses/new': {
    path: () => '/admin/courses/new',
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'POST /admin/courses': {
    path: () => '/admin/courses',
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'GET /admin/courses/:id': {
    path: (f) => `/admin/courses/${f.courseId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/courses/:id': {
    path: (f) => `/admin/courses/${f.courseId}`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin/courses/:id/runs/new': {
    path: (f) => `/admin/courses/${f.courseId}/runs/new`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/courses/:id/runs': {
    path: (f) => `/admin/courses/${f.courseId}/runs`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin/programmes': {
    path: () => '/admin/programmes',
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'GET /admin/programmes/new': {
    path: () => '/admin/programmes/new',
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'POST /admin/programmes': {
    path: () => '/admin/programmes',
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'GET /admin/programmes/:id': {
    path: (f) => `/admin/programmes/${f.programmeId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'POST /admin/programmes/:id': {
    path: (f) => `/admin/programmes/${f.programmeId}`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'GET /admin/runs/:id': {
    path: (f) => `/admin/runs/${f.runId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:id': {
    path: (f) => `/admin/runs/${f.runId}`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:id/meetings': {
    path: (f) => `/admin/runs/${f.runId}/meetings`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin/runs/:id/meetings/:meetingId': {
    path: (f) => `/admin/runs/${f.runId}/meetings/${f.meetingId}`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:id/meetings/:meetingId': {
    path: (f) => `/admin/runs/${f.runId}/meetings/${f.meetingId}`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'GET /admin/runs/:id/meetings/:meetingId/delete': {
    path: (f) => `/admin/runs/${f.runId}/meetings/${f.meetingId}/delete`,
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 200 },
  },
  'POST /admin/runs/:id/meetings/:meetingId/delete': {
    path: (f) => `/admin/runs/${f.runId}/meetings/${f.meetingId}/delete`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
  },
  'POST /admin/runs/:id/copy': {
    path: (f) => `/admin/runs/${f.runId}/copy`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:id/teachers': {
    path: (f) => `/admin/runs/${f.runId}/teachers`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 422 },
    secret: (f) => f.courseTitle,
  },
  'POST /admin/runs/:id/teachers/:userId/remove': {
    path: (f) => `/admin/runs/${f.runId}/teachers/${f.spareTeacherId}/remove`,
    form: () => [],
    expect: { anonymous: 303, participant: 404, otherTeacher: 404, teacher: 404, admin: 303 },
    secret: (f) => f.courseTitle,
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
  'GET /admin/history.xlsx': { path: () => '/admin/history.xlsx', expect: adminOnly(200) },
  'GET /admin/runs.csv': { path: () => '/admin/runs.csv', expect: adminOnly(200) },
  'GET /admin/runs.xlsx': { path: () => '/admin/runs.xlsx', expect: adminOnly(200) },
  // The feed is read by calendar programs without a session: its secret token is the key.
  'GET /calendar/:file{[0-9A-Za-z_-]+\\.ics}': { path: (f) => `/calendar/${f.calendarToken}.ics`, expect: { anonymous: 200, participant: 200, otherTeacher: 200, teacher: 200, admin: 200 } },
  'POST /account/calendar': { path: () => '/account/calendar', form: () => [], expect: signedIn(303) },
  'GET /admin/branding': { path: () => '/admin/branding', expect: adminOnly(200) },
  'POST /admin/branding': { path: () => '/admin/branding', form: () => [['name', 'Opleidingscentrum Vlaanderen']], expect: adminOnly(303) },
  // Public, for the verification page; the fixture's organisation has no logo.
  'GET /organisation/logo': { path: () => '/organisation/logo', expect: { anonymous: 404, participant: 404, otherTeacher: 404, teacher: 404, admin: 404 } },
  'GET /admin/api-tokens': { path: () => '/admin/api-tokens', expect: adminOnly(200) },
  'POST /admin/api-tokens': { path: () => '/admin/api-tokens', form: () => [['name', '']], expect: adminOnly(422) },
  'POST /admin/api-tokens/:id/revoke': { path: (f) => `/admin/api-tokens/${f.apiTokenId}/revoke`, form: () => [], expect: adminOnly(303) },
  'GET /admin/webhooks': { path: () => '/admin/webhooks', expect: adminOnly(200) },
  'POST /admin/webhooks': { path: () => '/admin/webhooks', form: () => [['url', '']], expect: adminOnly(422) },
  'GET /admin/webhooks/:id': { path: (f) => `/admin/webhooks/${f.webhookId}`, expect: adminOnly(200) },
  // Without `confirm`, the confirmation screen.
  'POST /admin/webhooks/:id/deactivate': { path: (f) => `/admin/webhooks/${f.webhookId}/deactivate`, form: () => [], expect: adminOnly(200) },
  'POST /admin/webhooks/:id/delete': { path: (f) => `/admin/webhooks/${f.webhookId}/delete`, form: () => [], expect: adminOnly(200) },
  'GET /api/openapi.json': { path: () => '/api/openapi.json', expect: everyone(200) },
  'GET /api/reference': { path: () => '/api/reference', expect: everyone(200) },
  'GET /api/v1/runs': api('GET', () => '/api/v1/runs', { teacherRead: 200, teacherWrite: 200, otherTeacherWrite: 200, adminRead: 200, admin: 200 }),
  'GET /api/v1/runs/:runId': api('GET', (f) => `/api/v1/runs/${f.runId}`, ownRun(200)),
  'GET /api/v1/runs/:runId/enrolments': api('GET', (f) => `/api/v1/runs/${f.runId}/enrolments`, ownRun(200)),
  'POST /api/v1/runs/:runId/enrolments': api('POST', (f) => `/api/v1/runs/${f.runId}/enrolments`, adminScope(200), { json: (f) => ({ userIds: [f.participantId] }) }),
  'POST /api/v1/runs/:runId/registrations': api('POST', (f) => `/api/v1/runs/${f.runId}/registrations`, { ...ownRun(200), teacherRead: 403, adminRead: 403 }, { json: (f) => ({ rows: [{ enrolmentId: f.enrolmentId, version: 1 }] }) }),
  'PATCH /api/v1/runs/:runId/enrolments/:enrolmentId': api('PATCH', (f) => `/api/v1/runs/${f.runId}/enrolments/${f.enrolmentId}`, { ...ownRun(200), teacherRead: 403, adminRead: 403 }, { json: () => ({}), headers: { 'if-match': '"1"' } }),
  'GET /api/v1/users': api('GET', () => '/api/v1/users', adminScope(200)),
  'POST /api/v1/users': api('POST', () => '/api/v1/users', adminScope(422), { json: () => ({ email: 'geen-adres', name: '' }) }),
  'GET /api/v1/users/:userId/study-points': api('GET', (f) => `/api/v1/users/${f.participantId}/study-points`, { teacherRead: 404, teacherWrite: 404, otherTeacherWrite: 404, adminRead: 200, admin: 200 }),
  'GET /api/v1/courses': api('GET', () => '/api/v1/courses', { teacherRead: 404, teacherWrite: 404, otherTeacherWrite: 404, adminRead: 200, admin: 200 }),
  'GET /api/v1/programmes': api('GET', () => '/api/v1/programmes', { teacherRead: 404, teacherWrite: 404, otherTeacherWrite: 404, adminRead: 200, admin: 200 }),
  'GET /api/v1/statuses': api('GET', () => '/api/v1/statuses', { teacherRead: 200, teacherWrite: 200, otherTeacherWrite: 200, adminRead: 200, admin: 200 }),
  'GET /api/v1/certificates/:code': api('GET', (f) => `/api/v1/certificates/${f.verificationCode}`, { teacherRead: 200, teacherWrite: 200, otherTeacherWrite: 200, adminRead: 200, admin: 200 }),
  'GET /api/v1/history': api('GET', () => '/api/v1/history', adminScope(200)),
};

/** A fresh set of people, a run and a certificate to aim every route at, with a browser per kind of visitor. */
export async function makeRouteFixture(store: Store, env: Record<string, string> = {}) {
  const db = store.db;
  const app = testApp(store, env);
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
  const spareTeacher = await makeUser(db, ['teacher']);
  await db.insertInto('run_teachers').values({ run_id: run.id, user_id: spareTeacher.id }).execute();
  const programmeId = newId();
  await db.insertInto('programmes').values({ id: programmeId, title: 'Programma', study_term_days: null, study_term_ends_on: null, created_at: nowIso() }).execute();
  const content = await makeCourseContent(db, run.courseId, admin.id);
  const bystander = await makeUser(db, ['participant']);
  const importId = await stageImport(db, actorOf(admin), 'users', 'gebruikers.csv', `email;naam\nnieuw-${bystander.id.toLowerCase()}@example.test;Nieuw\n`);
  const { token: calendarToken } = await renewCalendarFeed(db, actorOf(participant));
  const tokens: Record<Exclude<ApiWho, 'none'>, string> = {
    teacherRead: (await makeApiToken(db, teacher, ['read'])).token,
    teacherWrite: (await makeApiToken(db, teacher, ['write'])).token,
    otherTeacherWrite: (await makeApiToken(db, otherTeacher, ['write'])).token,
    adminRead: (await makeApiToken(db, admin, ['read'])).token,
    admin: (await makeApiToken(db, admin, ['admin'])).token,
  };
  const apiTokenId = (await makeApiToken(db, admin, ['read'])).id;
  const { id: webhookId } = await createWebhook(db, actorOf(admin), { url: 'https://hooks.example.test/presentia', events: ['certificate.issued'] });
  const fixture: Fixture = {
    webhookId,
    calendarToken,
    apiTokenId,
    fileId: content.fileId,
    moduleKey: content.moduleKey,
    futureMeetingId: run.meetings[2]!.id,
    bystanderId: bystander.id,
    importId,
    runId: run.id,
    courseId: run.courseId,
    enrolmentId: e.id,
    courseTitle,
    certificateId,
    verificationCode,
    participantId: participant.id,
    meetingId: run.meetings[0]!.id,
    programmeId,
    spareTeacherId: spareTeacher.id,
  };
  const users: Record<Exclude<Who, 'anonymous'>, string> = { participant: participant.id, otherTeacher: otherTeacher.id, teacher: teacher.id, admin: admin.id };
  /** A new browser of one kind of visitor: signed in with a session of its own, holding a CSRF cookie. */
  const browser = async (who: Who): Promise<TestBrowser> => {
    if (who !== 'anonymous') return TestBrowser.signedIn(app, store, users[who]);
    const b = new TestBrowser(app);
    await b.get('/login');
    return b;
  };
  const browsers = async (): Promise<Record<Who, TestBrowser>> => ({
    anonymous: await browser('anonymous'),
    participant: await browser('participant'),
    otherTeacher: await browser('otherTeacher'),
    teacher: await browser('teacher'),
    admin: await browser('admin'),
  });
  /** One JSON API call of a route's entry with a kind of token. */
  const callAs = (who: ApiWho, c: RouteCase) =>
    callApi(app, c.path(fixture), { token: who === 'none' ? undefined : tokens[who], method: c.api!.method, body: c.api!.json?.(fixture), headers: c.api!.headers });
  return { app, fixture, browsers, browser, users, tokens, callAs };
}
