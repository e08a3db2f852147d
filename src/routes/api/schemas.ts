import { z } from '@hono/zod-openapi';
import { ALL_STATUSES } from '../../domain/study-status.ts';
import { API_SCOPES } from '../../domain/api-tokens.ts';
import { PROBLEM_TYPES } from './problem.ts';

/*
 * The zod schemas of the JSON API: the same objects validate the requests and describe them in the
 * OpenAPI document (`/api/openapi.json`), so the two cannot drift apart.
 */

export const Id = z.string().min(1).max(64).regex(/^[\w-]+$/).openapi({ example: '01JDX3N5W6Q2Z8R4T7Y9V1B3C5' });
export const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).openapi({ example: '2026-12-02' });
export const Instant = z.string().openapi({ description: 'ISO-8601 UTC', example: '2026-12-02T09:00:00.000Z' });
export const StatusCode = z.enum(ALL_STATUSES as [string, ...string[]]).openapi('StatusCode');
export const Effort = z.enum(['excellent', 'good', 'sufficient', 'insufficient']).openapi('Effort');
export const Role = z.enum(['participant', 'teacher', 'admin']).openapi('Role');
export const Scope = z.enum(API_SCOPES as [string, ...string[]]);

/** Cursor pagination: `after` for the next page, `before` for the previous one (the cursors the last answer gave). */
export const PageQuery = z.object({
  after: z.string().max(600).optional().openapi({ description: 'Cursor of the next page (`next` of the previous answer).' }),
  before: z.string().max(600).optional().openapi({ description: 'Cursor of the previous page (`previous` of the answer).' }),
});
export const PageLinks = { next: z.string().nullable(), previous: z.string().nullable() };

export const Problem = z
  .object({
    type: z.string().openapi({ description: `A URI reference whose fragment is one of: ${PROBLEM_TYPES.join(', ')}.`, example: '/api/reference#problem-not_found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .passthrough()
  .openapi('Problem', { description: 'RFC 9457 problem details; extension members depend on the type.' });

export const RunIdParam = z.object({ runId: Id.openapi({ param: { name: 'runId', in: 'path' } }) });
export const UserIdParam = z.object({ userId: Id.openapi({ param: { name: 'userId', in: 'path' } }) });
export const EnrolmentParams = z.object({
  runId: Id.openapi({ param: { name: 'runId', in: 'path' } }),
  enrolmentId: Id.openapi({ param: { name: 'enrolmentId', in: 'path' } }),
});

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/)
    .optional()
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'Sending the same request again with the same key answers what the first one answered, without doing the work twice (kept for 24 hours).' }),
});
export const IfMatchHeader = z.object({
  'if-match': z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: 'if-match', in: 'header' }, description: 'The enrolment\u2019s version as read (its ETag, e.g. "3"); required.', example: '"3"' }),
});

// Registration (the Doorgaan form).

export const RegistrationRow = z
  .object({
    enrolmentId: Id,
    version: z.number().int().min(0).openapi({ description: 'The enrolment\u2019s version as read (R11): values someone else changed since then are reported, not overwritten.' }),
    present: z.boolean().default(false).openapi({ description: 'Present at every chosen meeting (true) or not present (false).' }),
    status: StatusCode.nullable().default(null).openapi({ description: 'The new study status, or null for no change.' }),
    withdrawnOn: DateText.nullable().optional().openapi({ description: 'The day the participant withdrew (R4), with a withdrawn status.' }),
    reason: z.string().max(1000).optional().openapi({ description: 'Why a status no longer active is corrected (R1).' }),
    effort: Effort.nullable().optional().openapi({ description: 'Omit to leave effort as it is; null clears it.' }),
    effortComment: z.string().max(1000).optional(),
    proofNote: z.string().max(1000).default('').openapi({ description: 'A note that proof of force majeure was seen (R4).' }),
  })
  .openapi('RegistrationRow');

export const RegistrationRequest = z
  .object({
    meetingIds: z.array(Id).max(500).default([]).openapi({ description: 'The meetings attendance is registered for.' }),
    allMeetings: z.boolean().default(false).openapi({ description: 'Every meeting of the run that has started.' }),
    ignoreMaximum: z.boolean().default(false).openapi({ description: 'Credit study points past the course maximum (R5).' }),
    confirmEarlyCompletion: z.boolean().default(false).openapi({ description: 'Completed before the last meeting (R2).' }),
    confirmOverwrites: z.boolean().default(false).openapi({ description: 'Change attendance or statuses already recorded (R7).' }),
    rows: z.array(RegistrationRow).min(1).max(2000),
  })
  .openapi('RegistrationRequest');

export const RegistrationSummary = z
  .object({
    participants: z.number(),
    meetings: z.number(),
    attendanceChanged: z.number(),
    statusesChanged: z.number(),
    certificatesIssued: z.number(),
    certificatesRevoked: z.number(),
    pointsCredited: z.number(),
    pointsRemoved: z.number(),
    effortChanged: z.number(),
    proofsRecorded: z.number(),
  })
  .openapi('RegistrationSummary');

export const EnrolmentUpdate = z
  .object({
    status: StatusCode.nullable().default(null),
    withdrawnOn: DateText.nullable().optional(),
    reason: z.string().max(1000).optional(),
    effort: Effort.nullable().optional(),
    effortComment: z.string().max(1000).optional(),
    proofNote: z.string().max(1000).default(''),
    confirmEarlyCompletion: z.boolean().default(false),
    confirmOverwrites: z.boolean().default(false),
  })
  .openapi('EnrolmentUpdate');

// Runs and their enrolments.

export const Meeting = z.object({ id: Id, startsAt: Instant, endsAt: Instant, place: z.string(), studyPoints: z.number() }).openapi('Meeting');

export const Run = z
  .object({
    id: Id,
    code: z.string(),
    courseId: Id,
    courseTitle: z.string(),
    place: z.string(),
    startsOn: DateText,
    endsOn: DateText,
    cancelled: z.boolean(),
    maxStudyPoints: z.number(),
    meetings: z.array(Meeting),
  })
  .openapi('Run');

export const RunListItem = z
  .object({ id: Id, code: z.string(), courseTitle: z.string(), place: z.string(), startsOn: DateText, endsOn: DateText, cancelled: z.boolean(), participants: z.number() })
  .openapi('RunListItem');

export const RunList = z.object({ data: z.array(RunListItem), ...PageLinks }).openapi('RunList');
export const RunListQuery = PageQuery.extend({
  course: z.string().max(40).optional().openapi({ description: 'A course code (administrators).' }),
  place: z.string().max(200).optional(),
  from: DateText.optional(),
  to: DateText.optional(),
  teacher: z.string().max(200).optional().openapi({ description: 'A teacher\u2019s e-mail address (administrators).' }),
});

export const AttendanceCell = z.object({ meetingId: Id, state: z.enum(['present', 'absent', 'reported_absent']).nullable() });
export const Enrolment = z
  .object({
    id: Id,
    userId: Id,
    name: z.string(),
    email: z.string(),
    status: StatusCode,
    version: z.number().int().openapi({ description: 'Send it back as the row\u2019s `version` or as If-Match (R11).' }),
    effort: Effort.nullable(),
    effortComment: z.string().nullable(),
    withdrawnOn: DateText.nullable(),
    studyPoints: z.number(),
    certificateNumber: z.string().nullable(),
    attendance: z.array(AttendanceCell),
  })
  .openapi('Enrolment');
export const EnrolmentList = z.object({ runId: Id, data: z.array(Enrolment) }).openapi('EnrolmentList');

export const EnrolRequest = z.object({ userIds: z.array(Id).min(1).max(500) }).openapi('EnrolRequest');
export const Placement = z.object({ userId: Id, placement: z.string(), enrolmentId: Id.optional() });
export const EnrolResult = z.object({ runId: Id, placements: z.array(Placement), promoted: z.array(z.object({ userId: Id, enrolmentId: Id })) }).openapi('EnrolResult');

// Users.

export const User = z.object({ id: Id, email: z.string(), name: z.string(), roles: z.array(Role), deactivated: z.boolean() }).openapi('User');
export const UserList = z.object({ data: z.array(User), ...PageLinks }).openapi('UserList');
export const UserListQuery = PageQuery.extend({ email: z.string().max(254).optional().openapi({ description: 'Exactly this e-mail address.' }) });
export const NewUser = z.object({ email: z.string().max(254), name: z.string().max(200), roles: z.array(Role).max(3).default(['participant']) }).openapi('NewUser');
export const CreatedUser = User.extend({ passwordLink: z.string().openapi({ description: 'A one-time link for the person to choose a password.' }), passwordLinkExpiresAt: Instant }).openapi('CreatedUser');

export const StudyPoints = z
  .object({
    userId: Id,
    name: z.string(),
    total: z.number(),
    years: z.array(z.object({ year: z.number().int(), total: z.number(), courses: z.array(z.object({ courseId: Id, courseCode: z.string(), courseTitle: z.string(), maxStudyPoints: z.number(), points: z.number(), overriddenPoints: z.number() })) })),
  })
  .openapi('StudyPoints');

// Catalogue.

export const Course = z.object({ id: Id, code: z.string(), title: z.string(), kind: z.string(), maxStudyPoints: z.number(), version: z.number().int(), archived: z.boolean(), cancelled: z.boolean() }).openapi('Course');
export const CourseList = z.object({ data: z.array(Course), ...PageLinks }).openapi('CourseList');
export const CourseListQuery = PageQuery.extend({ q: z.string().max(200).optional().openapi({ description: 'Code or start of the title.' }) });
export const Programme = z.object({ id: Id, title: z.string(), studyTermDays: z.number().nullable(), studyTermEndsOn: DateText.nullable(), courses: z.number().int() }).openapi('Programme');
export const ProgrammeList = z.object({ data: z.array(Programme), ...PageLinks }).openapi('ProgrammeList');

export const Status = z.object({ code: StatusCode, label: z.string(), open: z.boolean(), setBy: z.array(z.enum(['system', 'teacher', 'admin'])) }).openapi('Status');
export const StatusList = z.object({ data: z.array(Status) }).openapi('StatusList');

export const HistoryEntry = z
  .object({
    id: Id,
    at: Instant,
    actorEmail: z.string().nullable(),
    source: z.string(),
    userId: Id,
    personEmail: z.string().nullable(),
    enrolmentId: z.string().nullable(),
    runId: z.string().nullable(),
    runCode: z.string().nullable(),
    meetingId: z.string().nullable().openapi({ description: 'The meeting of a change of attendance or points at one meeting.' }),
    field: z.string(),
    oldValue: z.string().nullable().openapi({ description: 'The value before; null for a change at several meetings (see `meetings`).' }),
    newValue: z.string().nullable().openapi({ description: 'The value after; null for a change at several meetings (see `meetings`).' }),
    meetings: z
      .array(z.object({ meetingId: Id, startsAt: Instant, oldValue: z.string().nullable(), newValue: z.string().nullable() }))
      .nullable()
      .openapi({ description: 'A change of attendance or points that one save made at several meetings: each meeting with its old and new value. Null for every other change.' }),
    note: z.string().nullable(),
  })
  .openapi('HistoryEntry');
export const HistoryList = z.object({ data: z.array(HistoryEntry), ...PageLinks }).openapi('HistoryList');
export const HistoryQuery = PageQuery.extend({
  run: z.string().max(254).optional().openapi({ description: 'A run code.' }),
  person: z.string().max(254).optional().openapi({ description: 'The e-mail address of the person concerned.' }),
  actor: z.string().max(254).optional().openapi({ description: 'The e-mail address of who made the change.' }),
  kind: z.string().max(40).optional(),
  from: DateText.optional(),
  to: DateText.optional(),
});

export const VerificationCodeParam = z.object({ code: z.string().min(1).max(64).openapi({ param: { name: 'code', in: 'path' }, example: 'K7QX-4MPD-9TRW' }) });
export const CertificateVerification = z
  .object({
    state: z.enum(['valid', 'revoked']),
    number: z.string(),
    participantName: z.string().optional(),
    courseTitle: z.string().optional(),
    completedOn: DateText.optional(),
    studyPoints: z.number().optional(),
    revokedAt: Instant.optional(),
  })
  .openapi('CertificateVerification');
