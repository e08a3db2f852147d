import { expect, it } from 'vitest';
import { messages } from '../../i18n/index.ts';
import { callApi, makeApiToken } from '../../testing/api.ts';
import { describeEachDatabase } from '../../testing/databases.ts';
import { enrol, makeCertificate, makeRun, makeUser } from '../../testing/factories.ts';
import { TestBrowser, testApp } from '../../testing/http.ts';
import { API_MAX_BODY_BYTES } from './api-middleware.ts';

/**
 * Contract tests of the JSON API on both databases: each route's answer, and the refusals a client
 * must be able to rely on (wrong scope, a foreign run, a stale version, malformed JSON, an oversized
 * body, expired and revoked tokens, a session cookie alone), as problem details in the caller's language.
 */
const nl = messages('nl');
const en = messages('en');

describeEachDatabase('JSON API', (store) => {
  const db = () => store().db;

  async function setUp(env: Record<string, string> = {}) {
    const app = testApp(store(), env);
    const teacher = await makeUser(db(), ['teacher']);
    const otherTeacher = await makeUser(db(), ['teacher']);
    const admin = await makeUser(db(), ['admin']);
    const participant = await makeUser(db(), ['participant']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1, 7] });
    const foreignRun = await makeRun(db(), { teacherId: otherTeacher.id, meetingDays: [-3] });
    const e = await enrol(db(), run, participant.id);
    const tokens = {
      teacherWrite: (await makeApiToken(db(), teacher, ['write'])).token,
      teacherRead: (await makeApiToken(db(), teacher, ['read'])).token,
      admin: (await makeApiToken(db(), admin, ['admin'])).token,
      adminRead: (await makeApiToken(db(), admin, ['read'])).token,
    };
    return { app, teacher, otherTeacher, admin, participant, run, foreignRun, e, tokens };
  }

  const registration = (e: { id: string }, meetingId: string, extra: Record<string, unknown> = {}) => ({ meetingIds: [meetingId], rows: [{ enrolmentId: e.id, version: 1, present: true, ...extra }] });

  it('registers attendance through the same save as the Doorgaan form, with history as source api', async () => {
    const { app, run, e, tokens, teacher } = await setUp();
    const saved = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: registration(e, run.meetings[0]!.id, { effort: 'good', effortComment: 'Actief' }) });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ participants: 1, meetings: 1, attendanceChanged: 1, pointsCredited: 1, effortChanged: 1 });
    const attendance = await db().selectFrom('attendance').select(['present', 'study_points', 'recorded_by']).where('enrolment_id', '=', e.id).execute();
    expect(attendance).toEqual([{ present: 1, study_points: 1, recorded_by: teacher.id }]);
    const history = await db().selectFrom('history').select(['field', 'source', 'actor_id']).where('enrolment_id', '=', e.id).orderBy('id').execute();
    expect(history.map((h) => [h.field, h.source, h.actor_id])).toEqual([
      ['attendance', 'api', teacher.id],
      ['points', 'api', teacher.id],
      ['effort', 'api', teacher.id],
    ]);
    // A row that names no effort leaves it as it is.
    const again = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: e.id, version: 2, status: 'absent' }] } });
    expect(again.status).toBe(200);
    const stored = await db().selectFrom('enrolments').select(['status', 'effort', 'effort_comment', 'version']).where('id', '=', e.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'absent', effort: 'good', effort_comment: 'Actief', version: 3 });
  });

  it('refuses with the planner’s reasons per row, in the caller’s language, and saves nothing', async () => {
    const { app, run, e, tokens } = await setUp();
    const refused = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: e.id, version: 1, present: true, status: 'exempted' }] } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(refused.body.type).toBe('/api/reference#problem-registration_refused');
    expect(refused.body.errors).toEqual([{ code: 'choose_meeting', detail: nl.registration.errors.choose_meeting }]);
    expect(refused.body.rows).toEqual([{ enrolmentId: e.id, errors: [{ code: 'admin_only_status', detail: nl.registration.errors.admin_only_status }] }]);
    const english = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, headers: { 'accept-language': 'en-GB,en;q=0.9' }, body: { rows: [{ enrolmentId: e.id, version: 1, present: true }] } });
    expect(english.body.title).toBe(en.api.problems.registration_refused.title);
    expect(english.body.errors[0].detail).toBe(en.registration.errors.choose_meeting);
    expect(await db().selectFrom('attendance').selectAll().where('enrolment_id', '=', e.id).execute()).toEqual([]);
  });

  it('asks for the confirmation of completion before the last meeting (R2) and saves with it', async () => {
    const { app, run, e, tokens } = await setUp();
    const asked = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: e.id, version: 1, status: 'completed' }] } });
    expect(asked.status).toBe(409);
    expect(asked.body.type).toBe('/api/reference#problem-confirmation_required');
    expect(asked.body.confirm).toEqual(['confirmEarlyCompletion']);
    expect((await db().selectFrom('enrolments').select('status').where('id', '=', e.id).executeTakeFirstOrThrow()).status).toBe('enrolled');
    const confirmed = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { confirmEarlyCompletion: true, rows: [{ enrolmentId: e.id, version: 1, status: 'completed' }] } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.certificatesIssued).toBe(1);
  });

  it('reports a stale version as a conflict (R11) and changes nothing', async () => {
    const { app, run, e, tokens } = await setUp();
    await db().updateTable('enrolments').set({ status: 'absent', version: 2 }).where('id', '=', e.id).execute();
    const stale = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: e.id, version: 1, status: 'failed' }] } });
    expect(stale.status).toBe(409);
    expect(stale.body.type).toBe('/api/reference#problem-conflict');
    expect(stale.body.conflicts).toEqual([{ enrolmentId: e.id, name: expect.any(String), value: 'status', theirs: { kind: 'status', status: 'absent' }, mine: { kind: 'status', status: 'failed' } }]);
    expect((await db().selectFrom('enrolments').select('status').where('id', '=', e.id).executeTakeFirstOrThrow()).status).toBe('absent');
  });

  it('updates one enrolment under If-Match: 428 without it, 412 when stale, the new ETag when saved', async () => {
    const { app, run, e, tokens } = await setUp();
    const path = `/api/v1/runs/${run.id}/enrolments/${e.id}`;
    const missing = await callApi(app, path, { token: tokens.teacherWrite, method: 'PATCH', body: { status: 'absent' } });
    expect([missing.status, missing.body.type]).toEqual([428, '/api/reference#problem-precondition_required']);
    const saved = await callApi(app, path, { token: tokens.teacherWrite, method: 'PATCH', headers: { 'if-match': '"1"' }, body: { status: 'absent' } });
    expect([saved.status, saved.headers.get('etag'), saved.body.statusesChanged]).toEqual([200, '"2"', 1]);
    const stale = await callApi(app, path, { token: tokens.teacherWrite, method: 'PATCH', headers: { 'if-match': '"1"' }, body: { status: 'failed' } });
    expect([stale.status, stale.body.type]).toEqual([412, '/api/reference#problem-stale_version']);
    expect((await db().selectFrom('enrolments').select(['status', 'version']).where('id', '=', e.id).executeTakeFirstOrThrow())).toEqual({ status: 'absent', version: 2 });
  });

  it('lets a teacher’s personal token act only on their own runs, and only with the scope it has', async () => {
    const { app, foreignRun, run, e, tokens } = await setUp();
    for (const path of [`/api/v1/runs/${foreignRun.id}`, `/api/v1/runs/${foreignRun.id}/enrolments`]) {
      const r = await callApi(app, path, { token: tokens.teacherWrite });
      expect([path, r.status, r.body.type]).toEqual([path, 404, '/api/reference#problem-not_found']);
    }
    const foreign = await callApi(app, `/api/v1/runs/${foreignRun.id}/registrations`, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: e.id, version: 1 }] } });
    expect(foreign.status).toBe(404);
    const readOnly = await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherRead, body: registration(e, run.meetings[0]!.id) });
    expect([readOnly.status, readOnly.body.type, readOnly.body.requiredScope]).toEqual([403, '/api/reference#problem-insufficient_scope', 'write']);
    expect(readOnly.body.detail).toBe(nl.api.problems.insufficient_scope.detail('write'));
    const adminOnly = await callApi(app, '/api/v1/users', { token: tokens.teacherWrite });
    expect(adminOnly.status).toBe(403);
    const mine = await callApi(app, '/api/v1/runs', { token: tokens.teacherRead });
    expect(mine.body.data.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect(await db().selectFrom('attendance').selectAll().where('enrolment_id', '=', e.id).execute()).toEqual([]);
  });

  it('answers 401 without a token, with an unknown, expired or revoked token, and to a session cookie alone', async () => {
    const { app, run, admin, teacher } = await setUp();
    const path = `/api/v1/runs/${run.id}/enrolments`;
    const none = await callApi(app, path);
    expect([none.status, none.body.type, none.headers.get('www-authenticate')]).toEqual([401, '/api/reference#problem-unauthorized', 'Bearer realm="presentia"']);
    expect((await callApi(app, path, { token: 'prs_nothing' })).status).toBe(401);
    const expired = await makeApiToken(db(), admin, ['admin']);
    await db().updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', expired.id).execute();
    expect((await callApi(app, path, { token: expired.token })).status).toBe(401);
    const revoked = await makeApiToken(db(), admin, ['admin']);
    expect((await callApi(app, path, { token: revoked.token })).status).toBe(200);
    const browser = await TestBrowser.signedIn(app, store(), admin.id);
    const revoke = await browser.post(`/admin/api-tokens/${revoked.id}/revoke`, []);
    expect(revoke.status).toBe(303);
    expect((await callApi(app, path, { token: revoked.token })).status).toBe(401);
    // A signed-in administrator's browser, cookies and CSRF token included, gets nothing from the API.
    const withCookie = await browser.request(path);
    expect(withCookie.status).toBe(401);
    const post = await browser.request(`/api/v1/runs/${run.id}/registrations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': browser.csrfToken }, body: '{"rows":[]}' });
    expect(post.status).toBe(401);
    // The last use is recorded.
    const used = await db().selectFrom('api_tokens').select('last_used_at').where('id', '=', revoked.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    void teacher;
  });

  it('refuses malformed JSON (400), invalid values (422) and an oversized body (413) as problems', async () => {
    const { app, run, tokens } = await setUp();
    const path = `/api/v1/runs/${run.id}/registrations`;
    const malformed = await callApi(app, path, { token: tokens.teacherWrite, rawBody: '{"rows": [' });
    expect([malformed.status, malformed.body.type, malformed.body.title]).toEqual([400, '/api/reference#problem-malformed_json', nl.api.problems.malformed_json.title]);
    const invalid = await callApi(app, path, { token: tokens.teacherWrite, body: { rows: [{ enrolmentId: '<b>', version: 'x' }] } });
    expect([invalid.status, invalid.body.type]).toEqual([422, '/api/reference#problem-invalid_request']);
    expect(invalid.body.errors.map((x: { pointer: string }) => x.pointer).sort()).toEqual(['#/rows/0/enrolmentId', '#/rows/0/version']);
    const huge = await callApi(app, path, { token: tokens.teacherWrite, rawBody: JSON.stringify({ rows: [], pad: 'x'.repeat(API_MAX_BODY_BYTES) }) });
    expect([huge.status, huge.body.type]).toEqual([413, '/api/reference#problem-too_large']);
    const unknown = await callApi(app, '/api/v1/nothing', { token: tokens.teacherWrite });
    expect([unknown.status, unknown.body.type]).toEqual([404, '/api/reference#problem-not_found']);
  });

  it('keeps the answer of a creating request by Idempotency-Key and refuses the key with another body', async () => {
    const { app, run, tokens } = await setUp();
    const person = await makeUser(db());
    const path = `/api/v1/runs/${run.id}/enrolments`;
    const headers = { 'idempotency-key': 'hr-sync-42' };
    const first = await callApi(app, path, { token: tokens.admin, headers, body: { userIds: [person.id] } });
    expect(first.status).toBe(200);
    expect(first.body.placements).toEqual([{ userId: person.id, placement: 'enrolled', enrolmentId: expect.any(String) }]);
    const again = await callApi(app, path, { token: tokens.admin, headers, body: { userIds: [person.id] } });
    expect([again.status, again.headers.get('idempotent-replayed'), again.body]).toEqual([200, 'true', first.body]);
    const count = await db().selectFrom('enrolments').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', person.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    const other = await callApi(app, path, { token: tokens.admin, headers, body: { userIds: [(await makeUser(db())).id] } });
    expect([other.status, other.body.type]).toEqual([422, '/api/reference#problem-idempotency_key_reused']);
  });

  it('limits requests per token with RateLimit headers and 429', async () => {
    const { app, tokens } = await setUp({ API_RATE_LIMIT: '2' });
    const first = await callApi(app, '/api/v1/statuses', { token: tokens.teacherRead });
    expect([first.status, first.headers.get('ratelimit-policy'), first.headers.get('ratelimit')?.split(';').slice(0, 2).join(';')]).toEqual([200, '"token";q=2;w=60', '"token";r=1']);
    await callApi(app, '/api/v1/statuses', { token: tokens.teacherRead });
    const third = await callApi(app, '/api/v1/statuses', { token: tokens.teacherRead });
    expect([third.status, third.body.type]).toEqual([429, '/api/reference#problem-rate_limited']);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another token has its own budget.
    expect((await callApi(app, '/api/v1/statuses', { token: tokens.teacherWrite })).status).toBe(200);
  });

  it('reads runs, enrolments, users, study points, catalogue, statuses and history', async () => {
    const { app, run, e, tokens, participant, admin } = await setUp();
    const runs = await callApi(app, '/api/v1/runs', { token: tokens.adminRead });
    expect(runs.status).toBe(200);
    expect(runs.body.data.some((r: { id: string }) => r.id === run.id)).toBe(true);
    const one = await callApi(app, `/api/v1/runs/${run.id}`, { token: tokens.teacherRead });
    expect([one.status, one.body.meetings.length]).toEqual([200, 3]);
    const enrolments = await callApi(app, `/api/v1/runs/${run.id}/enrolments`, { token: tokens.teacherRead });
    expect(enrolments.body.data).toEqual([expect.objectContaining({ id: e.id, userId: participant.id, status: 'enrolled', version: 1 })]);
    const users = await callApi(app, `/api/v1/users?email=${encodeURIComponent((await db().selectFrom('users').select('email').where('id', '=', participant.id).executeTakeFirstOrThrow()).email)}`, { token: tokens.admin });
    expect(users.body).toEqual({ data: [expect.objectContaining({ id: participant.id, roles: ['participant'] })], next: null, previous: null });
    const points = await callApi(app, `/api/v1/users/${participant.id}/study-points`, { token: tokens.admin });
    expect([points.status, points.body.userId]).toEqual([200, participant.id]);
    const { verificationCode } = await makeCertificate(db(), { enrolmentId: e.id, userId: participant.id, courseId: run.courseId });
    const certificate = await callApi(app, `/api/v1/certificates/${verificationCode}`, { token: tokens.teacherRead });
    expect([certificate.status, certificate.body.state]).toEqual([200, 'valid']);
    expect((await callApi(app, '/api/v1/certificates/NOPE-NOPE', { token: tokens.teacherRead })).status).toBe(404);
    const forbidden = await callApi(app, `/api/v1/users/${participant.id}/study-points`, { token: tokens.teacherRead });
    expect(forbidden.status).toBe(404);
    expect((await callApi(app, '/api/v1/courses', { token: tokens.adminRead })).body.data.length).toBeGreaterThan(0);
    expect((await callApi(app, '/api/v1/programmes', { token: tokens.adminRead })).status).toBe(200);
    const statuses = await callApi(app, '/api/v1/statuses', { token: tokens.teacherRead, headers: { 'accept-language': 'en' } });
    expect(statuses.body.data).toContainEqual({ code: 'completed', label: en.statuses.completed, open: false, setBy: ['teacher', 'admin'] });
    const setBy = Object.fromEntries((statuses.body.data as { code: string; setBy: string[] }[]).map((s) => [s.code, s.setBy]));
    expect(setBy).toMatchObject({ archived: ['admin'], exempted: ['admin'], term_expired: ['system'], run_choice_required: ['system'] });
    const [m0, m1] = run.meetings as [(typeof run.meetings)[number], (typeof run.meetings)[number]];
    await callApi(app, `/api/v1/runs/${run.id}/registrations`, { token: tokens.teacherWrite, body: { ...registration(e, m0.id), meetingIds: [m0.id, m1.id] } });
    const history = await callApi(app, `/api/v1/history?kind=attendance`, { token: tokens.admin });
    // Attendance at two meetings is one change that lists both meetings.
    expect(history.body.data[0]).toMatchObject({ enrolmentId: e.id, field: 'attendance', source: 'api', meetingId: null, oldValue: null, newValue: null });
    expect(history.body.data[0].meetings).toEqual([
      { meetingId: m0.id, startsAt: m0.starts_at, oldValue: null, newValue: 'present' },
      { meetingId: m1.id, startsAt: m1.starts_at, oldValue: null, newValue: 'present' },
    ]);
    const badFilter = await callApi(app, `/api/v1/history?run=NOPE`, { token: tokens.admin });
    expect([badFilter.status, badFilter.body.errors[0].code]).toEqual([422, 'unknown_run']);
    void admin;
  });

  it('creates an account with a one-time password link, refusing invalid values per field', async () => {
    const { app, tokens } = await setUp();
    const created = await callApi(app, '/api/v1/users', { token: tokens.admin, body: { email: 'Nieuw.HR@Example.test', name: 'Nieuwe Collega', roles: ['participant'] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'nieuw.hr@example.test', name: 'Nieuwe Collega', roles: ['participant'], passwordLink: expect.stringMatching(/\/password\/[\w-]+$/) });
    const history = await db().selectFrom('history').select(['source', 'note']).where('user_id', '=', created.body.id).where('field', '=', 'account').execute();
    expect(history.map((h) => h.source)).toContain('api');
    const refused = await callApi(app, '/api/v1/users', { token: tokens.admin, body: { email: 'geen-adres', name: '', roles: ['participant'] } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { pointer: '#/email', code: 'invalid_email', detail: nl.adminAccounts.problems.invalid_email },
      { pointer: '#/name', code: 'name_required', detail: nl.adminAccounts.problems.name_required },
    ]);
    const taken = await callApi(app, '/api/v1/users', { token: tokens.admin, body: { email: 'nieuw.hr@example.test', name: 'X' } });
    expect([taken.status, taken.body.errors[0].code]).toEqual([422, 'email_in_use']);
  });
});
