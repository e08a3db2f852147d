import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { decodeCursor } from '../../db/keyset.ts';
import { enrolInRun } from '../../services/admin-enrolments.ts';
import { registerAttendance, RegistrationConflict, type RegistrationInput, type RegistrationOutcome } from '../../services/register-attendance.ts';
import { getRunOverview, readRunFilters } from '../../services/run-overview.ts';
import { getParticipantsView, listMyRuns } from '../../services/teacher-runs.ts';
import type { ApiEnv } from './api-env.ts';
import { idempotency, requireScope } from './api-middleware.ts';
import { fail, type problem } from './problem.ts';
import { problems, json, secured } from './openapi-parts.ts';
import {
  EnrolmentList,
  EnrolmentParams,
  EnrolmentUpdate,
  EnrolRequest,
  EnrolResult,
  IdempotencyHeader,
  IfMatchHeader,
  RegistrationRequest,
  RegistrationSummary,
  Run,
  RunIdParam,
  RunList,
  RunListQuery,
} from './schemas.ts';

/*
 * Runs, their enrolments and the registration of attendance, statuses and effort. Every answer
 * comes from the service the pages use: the overview of **Beheer** or **Mijn te geven opleidingen**,
 * the participants page, and the save of **Doorgaan** (registerAttendance, rules R1–R11).
 */

const listRuns = createRoute({
  method: 'get',
  path: '/api/v1/runs',
  summary: 'Runs: every run for administrators (filtered, newest first), the runs they teach for teachers',
  ...secured('read'),
  request: { query: RunListQuery },
  responses: { 200: json(RunList, 'A page of runs'), ...problems(401, 403, 404, 429) },
});

const getRun = createRoute({
  method: 'get',
  path: '/api/v1/runs/{runId}',
  summary: 'A run with its meetings',
  ...secured('read'),
  request: { params: RunIdParam },
  responses: { 200: json(Run, 'The run'), ...problems(401, 403, 404, 429) },
});

const listEnrolments = createRoute({
  method: 'get',
  path: '/api/v1/runs/{runId}/enrolments',
  summary: 'The participants of a run: status, version, effort, attendance per meeting, study points, certificate',
  description: 'The whole run at once (what the participants page shows); each enrolment\u2019s `version` goes back with a registration or as If-Match.',
  ...secured('read'),
  request: { params: RunIdParam },
  responses: { 200: json(EnrolmentList, 'The run\u2019s enrolments, those taking part first'), ...problems(401, 403, 404, 429) },
});

const enrol = createRoute({
  method: 'post',
  path: '/api/v1/runs/{runId}/enrolments',
  summary: 'Enrols people in a run (capacity respected; who does not fit joins the waiting list)',
  ...secured('admin'),
  middleware: [requireScope('admin'), idempotency()],
  request: { params: RunIdParam, headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: EnrolRequest } } } },
  responses: { 200: json(EnrolResult, 'Where each person was placed'), ...problems(400, 401, 403, 404, 409, 413, 422, 429) },
});

const register = createRoute({
  method: 'post',
  path: '/api/v1/runs/{runId}/registrations',
  summary: 'Registers attendance, statuses and effort for a run\u2019s participants: the Doorgaan save',
  description:
    'The same save as the participants page, with the same rules (R1\u2013R11), in one transaction: all rows or none. Refusals come back per row (registration_refused); values someone else changed since the versions sent come back as a conflict; completion before the last meeting and changes to recorded attendance need their confirmation flag (confirmation_required).',
  ...secured('write'),
  middleware: [requireScope('write'), idempotency()],
  request: { params: RunIdParam, headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: RegistrationRequest } } } },
  responses: { 200: json(RegistrationSummary, 'What was saved'), ...problems(400, 401, 403, 404, 409, 413, 422, 429) },
});

const updateEnrolment = createRoute({
  method: 'patch',
  path: '/api/v1/runs/{runId}/enrolments/{enrolmentId}',
  summary: 'Changes one enrolment\u2019s status, effort or proof note, guarded by If-Match',
  description: 'The same save as registrations, for one participant and no meeting. `If-Match` carries the version read; if the enrolment changed since, 412 and nothing is saved.',
  ...secured('write'),
  middleware: [requireScope('write')],
  request: { params: EnrolmentParams, headers: IfMatchHeader, body: { required: true, content: { 'application/json': { schema: EnrolmentUpdate } } } },
  responses: { 200: json(RegistrationSummary, 'What was saved (ETag: the new version)'), ...problems(400, 401, 403, 404, 409, 412, 413, 422, 428, 429) },
});

/** The confirmations a save still needs, as a problem (R2, R7, corrections). */
function confirmationProblem(c: Parameters<typeof problem>[0], outcome: Extract<RegistrationOutcome, { kind: 'confirm' }>): never {
  const needed = [...(outcome.earlyCompletions.length > 0 ? (['confirmEarlyCompletion'] as const) : []), ...(outcome.overwrites.length + outcome.corrections.length > 0 ? (['confirmOverwrites'] as const) : [])];
  fail(c, 'confirmation_required', 409, {
    confirm: needed,
    errors: needed.map((flag) => ({ code: flag, detail: c.var.t.api.confirmations[flag] })),
    earlyCompletions: outcome.earlyCompletions,
    overwrites: outcome.overwrites,
    corrections: outcome.corrections,
  });
}

export function runRoutes(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(listRuns, async (c) => {
    const { db } = c.var.deps.store;
    const actor = c.var.caller.actor;
    const query = c.req.valid('query');
    if (actor.roles.includes('admin')) {
      const filters = readRunFilters((name) => (query as Record<string, string | undefined>)[name]);
      const overview = await getRunOverview(db, actor, filters, { after: decodeCursor(query.after, 2), before: decodeCursor(query.before, 2) });
      const data = overview.runs.rows.map((r) => ({ id: r.id, code: r.code, courseTitle: r.course_title, place: r.place, startsOn: r.starts_on, endsOn: r.ends_on, cancelled: !!r.cancelled_at, participants: Number(r.participants ?? 0) }));
      return c.json({ data, next: overview.runs.next, previous: overview.runs.previous }, 200);
    }
    const mine = await listMyRuns(db, actor);
    const data = [...mine.current, ...mine.past].map((r) => ({ id: r.id, code: r.code, courseTitle: r.course_title, place: r.place, startsOn: r.starts_on, endsOn: r.ends_on, cancelled: !!r.cancelled_at, participants: r.participants }));
    return c.json({ data, next: null, previous: null }, 200);
  });

  api.openapi(getRun, async (c) => {
    const view = await getParticipantsView(c.var.deps.store.db, c.var.caller.actor, c.req.valid('param').runId);
    const { run } = view;
    return c.json(
      {
        id: run.id,
        code: run.code,
        courseId: run.course_id,
        courseTitle: run.course_title,
        place: run.place,
        startsOn: run.starts_on,
        endsOn: run.ends_on,
        cancelled: !!run.cancelled_at,
        maxStudyPoints: run.max_study_points,
        meetings: view.meetings.map((m) => ({ id: m.id, startsAt: m.starts_at, endsAt: m.ends_at, place: m.place, studyPoints: m.study_points })),
      },
      200,
    );
  });

  api.openapi(listEnrolments, async (c) => {
    const view = await getParticipantsView(c.var.deps.store.db, c.var.caller.actor, c.req.valid('param').runId);
    const data = [...view.active, ...view.inactive].map((r) => ({
      id: r.enrolmentId,
      userId: r.userId,
      name: r.name,
      email: r.email,
      status: r.status,
      version: r.version,
      effort: r.effort,
      effortComment: r.effortComment,
      withdrawnOn: r.withdrawnOn,
      studyPoints: r.points,
      certificateNumber: r.certificateNumber,
      attendance: view.meetings.map((m, i) => ({ meetingId: m.id, state: r.attendance[i] ?? null })),
    }));
    return c.json({ runId: view.run.id, data }, 200);
  });

  api.openapi(enrol, async (c) => {
    const outcome = await enrolInRun(c.var.deps.store.db, c.var.caller.actor, c.req.valid('param').runId, c.req.valid('json').userIds);
    return c.json(outcome, 200);
  });

  api.openapi(register, async (c) => {
    const body = c.req.valid('json');
    const input: RegistrationInput = {
      runId: c.req.valid('param').runId,
      meetingIds: body.meetingIds,
      allMeetings: body.allMeetings,
      ignoreMaximum: body.ignoreMaximum,
      confirmEarlyCompletion: body.confirmEarlyCompletion,
      confirmOverwrites: body.confirmOverwrites,
      rows: body.rows.map((r) => ({
        enrolmentId: r.enrolmentId,
        version: r.version,
        present: r.present,
        status: r.status as RegistrationInput['rows'][number]['status'],
        withdrawnOn: r.withdrawnOn ?? null,
        reason: r.reason ?? '',
        effort: r.effort ?? null,
        effortComment: r.effortComment ?? '',
        keepEffort: r.effort === undefined && r.effortComment === undefined,
        proofNote: r.proofNote,
        proofFile: null,
      })),
    };
    const outcome = await registerAttendance(c.var.deps.store.db, c.var.caller.actor, input, c.var.deps.clock?.() ?? new Date());
    if (outcome.kind === 'confirm') confirmationProblem(c, outcome);
    return c.json(outcome.summary, 200);
  });

  api.openapi(updateEnrolment, async (c) => {
    const { runId, enrolmentId } = c.req.valid('param');
    const ifMatch = c.req.valid('header')['if-match'];
    if (ifMatch === undefined) fail(c, 'precondition_required', 428);
    const version = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
    if (!version) fail(c, 'invalid_request', 400, { errors: [{ pointer: '#/headers/If-Match', detail: c.var.t.api.problems.precondition_required.detail }] });
    const body = c.req.valid('json');
    const loaded = Number(version[1]);
    try {
      const outcome = await registerAttendance(c.var.deps.store.db, c.var.caller.actor, {
        runId,
        meetingIds: [],
        allMeetings: false,
        ignoreMaximum: false,
        confirmEarlyCompletion: body.confirmEarlyCompletion,
        confirmOverwrites: body.confirmOverwrites,
        rows: [
          {
            enrolmentId,
            version: loaded,
            present: false,
            status: body.status as RegistrationInput['rows'][number]['status'],
            withdrawnOn: body.withdrawnOn ?? null,
            reason: body.reason ?? '',
            effort: body.effort ?? null,
            effortComment: body.effortComment ?? '',
            keepEffort: body.effort === undefined && body.effortComment === undefined,
            proofNote: body.proofNote,
            proofFile: null,
          },
        ],
      }, c.var.deps.clock?.() ?? new Date());
      if (outcome.kind === 'confirm') confirmationProblem(c, outcome);
      const s = outcome.summary;
      // The save raises the version by one when it changed the enrolment (registration-plan.ts).
      const changed = s.statusesChanged + s.effortChanged + s.proofsRecorded > 0;
      c.header('ETag', `"${changed ? loaded + 1 : loaded}"`);
      return c.json(s, 200);
    } catch (error) {
      if (error instanceof RegistrationConflict) fail(c, 'stale_version', 412, { conflicts: error.conflicts.map((x) => ({ value: x.key, theirs: x.theirs, mine: x.mine })) });
      throw error;
    }
  });
}
