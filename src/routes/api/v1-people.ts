import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { decodeCursor } from '../../db/keyset.ts';
import type { Role } from '../../db/schema.ts';
import { readMeetingsChange } from '../../domain/history-entry.ts';
import { ALL_STATUSES, ADMIN_ONLY_STATUSES, OPEN_STATUSES, TEACHER_STATUSES } from '../../domain/study-status.ts';
import { createAccount, listUsers } from '../../services/admin-users.ts';
import { browseAuditHistory } from '../../services/audit-history.ts';
import { findCourses, findProgrammes } from '../../services/catalog-admin.ts';
import { getTranscript } from '../../services/transcript.ts';
import { verifyCertificate } from '../../services/certificates.ts';
import type { ApiEnv } from './api-env.ts';
import { idempotency, requireScope } from './api-middleware.ts';
import { json, problems, secured } from './openapi-parts.ts';
import { fail } from './problem.ts';
import {
  CertificateVerification,
  CourseList,
  CreatedUser,
  HistoryList,
  HistoryQuery,
  IdempotencyHeader,
  NewUser,
  PageQuery,
  ProgrammeList,
  StatusList,
  StudyPoints,
  UserIdParam,
  UserList,
  UserListQuery,
  VerificationCodeParam,
} from './schemas.ts';

/*
 * People, study points, the catalogue, the statuses and the history, each from the service of its
 * page: the administrators' user pages, Mijn studiepunten, the catalogue lists and the audit history.
 */

const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/v1/users',
  summary: 'Users in order of creation (administrators); `email` finds one',
  ...secured('admin'),
  request: { query: UserListQuery },
  responses: { 200: json(UserList, 'A page of users'), ...problems(401, 403, 404, 429) },
});

const createUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  summary: 'Creates an account (administrators) with a one-time link to choose a password',
  ...secured('admin'),
  middleware: [requireScope('admin'), idempotency()],
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: NewUser } } } },
  responses: { 201: json(CreatedUser, 'The account'), ...problems(400, 401, 403, 404, 409, 413, 422, 429) },
});

const studyPointsRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/{userId}/study-points',
  summary: 'A person\u2019s study points per calendar year and course (the person\u2019s own token, or administrators)',
  ...secured('read'),
  request: { params: UserIdParam },
  responses: { 200: json(StudyPoints, 'The transcript'), ...problems(401, 403, 404, 429) },
});

const coursesRoute = createRoute({
  method: 'get',
  path: '/api/v1/courses',
  summary: 'Courses by title (administrators)',
  ...secured('read'),
  request: { query: PageQuery },
  responses: { 200: json(CourseList, 'A page of courses'), ...problems(401, 403, 404, 429) },
});

const programmesRoute = createRoute({
  method: 'get',
  path: '/api/v1/programmes',
  summary: 'Programmes by title (administrators)',
  ...secured('read'),
  request: { query: PageQuery },
  responses: { 200: json(ProgrammeList, 'A page of programmes'), ...problems(401, 403, 404, 429) },
});

const statusesRoute = createRoute({
  method: 'get',
  path: '/api/v1/statuses',
  summary: 'The study statuses, their labels in the caller\u2019s language, and who sets each',
  ...secured('read'),
  responses: { 200: json(StatusList, 'Every study status'), ...problems(401, 403, 429) },
});

const historyRoute = createRoute({
  method: 'get',
  path: '/api/v1/history',
  summary: 'The audit history, newest first, filtered by run, person, actor, kind and dates (administrators)',
  ...secured('admin'),
  request: { query: HistoryQuery },
  responses: { 200: json(HistoryList, 'A page of history'), ...problems(401, 403, 404, 422, 429) },
});

const certificateRoute = createRoute({
  method: 'get',
  path: '/api/v1/certificates/{code}',
  summary: 'Verifies a certificate by its verification code (R3): valid with what it states, or revoked',
  description: 'What the public verification page says, for an HR system checking a certificate it was given.',
  ...secured('read'),
  request: { params: VerificationCodeParam },
  responses: { 200: json(CertificateVerification, 'The certificate'), ...problems(401, 403, 404, 429) },
});

const setBy = (code: (typeof ALL_STATUSES)[number]): ('system' | 'teacher' | 'admin')[] => {
  if (ADMIN_ONLY_STATUSES.has(code)) return ['admin'];
  if (TEACHER_STATUSES.includes(code)) return ['teacher', 'admin'];
  return ['system'];
};

export function peopleRoutes(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(listUsersRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await listUsers(c.var.deps.store.db, c.var.caller.actor, { email: q.email, after: q.after, before: q.before });
    return c.json({ data: page.rows.map((u) => ({ id: u.id, email: u.email, name: u.name, roles: u.roles, deactivated: !!u.deactivated_at })), next: page.next, previous: page.previous }, 200);
  });

  api.openapi(createUserRoute, async (c) => {
    const body = c.req.valid('json');
    const created = await createAccount(c.var.deps.store.db, c.var.caller.actor, { email: body.email, name: body.name, roles: body.roles });
    const base = c.var.deps.config.PUBLIC_URL ?? c.req.url;
    c.header('Location', `/api/v1/users?email=${encodeURIComponent(created.email)}`);
    return c.json(
      { id: created.id, email: created.email, name: created.name, roles: created.roles as Role[], deactivated: false, passwordLink: new URL(created.passwordPath, base).toString(), passwordLinkExpiresAt: created.expiresAt },
      201,
    );
  });

  api.openapi(studyPointsRoute, async (c) => {
    const transcript = await getTranscript(c.var.deps.store.db, c.var.caller.actor, c.req.valid('param').userId);
    return c.json({ userId: transcript.person.id, name: transcript.person.name, total: transcript.total, years: transcript.years }, 200);
  });

  api.openapi(coursesRoute, async (c) => {
    const q = c.req.valid('query');
    const found = await findCourses(c.var.deps.store.db, c.var.caller.actor, { query: '', page: { after: decodeCursor(q.after, 2), before: decodeCursor(q.before, 2) } });
    const data = found.page.rows.map((r) => ({ id: r.id, code: r.code, title: r.title, kind: r.kind, maxStudyPoints: r.max_study_points, version: r.version, archived: !!r.archived_at, cancelled: !!r.cancelled_at }));
    return c.json({ data, next: found.page.next, previous: found.page.previous }, 200);
  });

  api.openapi(programmesRoute, async (c) => {
    const q = c.req.valid('query');
    const page = await findProgrammes(c.var.deps.store.db, c.var.caller.actor, { after: decodeCursor(q.after, 2), before: decodeCursor(q.before, 2) });
    const data = page.rows.map((r) => ({ id: r.id, title: r.title, studyTermDays: r.study_term_days, studyTermEndsOn: r.study_term_ends_on, courses: r.courses }));
    return c.json({ data, next: page.next, previous: page.previous }, 200);
  });

  api.openapi(statusesRoute, async (c) => {
    const t = c.var.t;
    return c.json({ data: ALL_STATUSES.map((code) => ({ code, label: t.statuses[code], open: OPEN_STATUSES.has(code), setBy: setBy(code) })) }, 200);
  });

  api.openapi(certificateRoute, async (c) => {
    const found = await verifyCertificate(c.var.deps.store.db, c.req.valid('param').code);
    if (found.kind === 'unknown') fail(c, 'not_found', 404);
    if (found.kind === 'revoked') return c.json({ state: 'revoked' as const, number: found.number, revokedAt: found.revokedAt }, 200);
    return c.json({ state: 'valid' as const, number: found.number, participantName: found.participantName, courseTitle: found.courseTitle, completedOn: found.completedOn, studyPoints: found.studyPoints }, 200);
  });

  api.openapi(historyRoute, async (c) => {
    const q = c.req.valid('query');
    const { problems: refused, page } = await browseAuditHistory(c.var.deps.store.db, c.var.caller.actor, { run: q.run, person: q.person, actor: q.actor, kind: q.kind, from: q.from, to: q.to }, { after: q.after, before: q.before });
    const fields = Object.entries(refused);
    if (fields.length > 0) {
      const texts = c.var.t.auditHistory.problems;
      fail(c, 'invalid_request', 422, { errors: fields.map(([field, code]) => ({ pointer: `#/query/${field}`, code, detail: texts[code!] })) });
    }
    const data = page.rows.map((r) => {
      const meetings = readMeetingsChange(r);
      return {
        id: r.id,
        at: r.at,
        actorEmail: r.actor_email,
        source: r.source,
        userId: r.user_id,
        personEmail: r.person_email,
        enrolmentId: r.enrolment_id,
        runId: r.run_id,
        runCode: r.run_code,
        meetingId: r.meeting_id,
        field: r.field,
        oldValue: r.old_value, // null in a row of several meetings (readMeetingsChange)
        newValue: meetings ? null : r.new_value,
        meetings,
        note: r.note,
      };
    });
    return c.json({ data, next: page.next, previous: page.previous }, 200);
  });
}
