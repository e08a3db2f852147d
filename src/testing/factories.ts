import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import type { CourseKind, Role, StatusCode } from '../db/schema.ts';
import type { Actor } from '../services/actor.ts';

/** Test data builders: each makes a valid row with sensible defaults, overridable where a test cares. */
let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function makeUser(db: Kysely<Database>, roles: Role[] = ['participant'], name?: string) {
  const id = newId();
  const n = unique();
  await db
    .insertInto('users')
    .values({ id, email: `u${n}@example.test`, name: name ?? `Persoon ${n}`, password_hash: null, locale: null, created_at: nowIso(), anonymised_at: null })
    .execute();
  await db.insertInto('user_roles').values(roles.map((role) => ({ user_id: id, role }))).execute();
  return { id, roles, name: name ?? `Persoon ${n}` };
}

export function actorOf(user: { id: string; roles: Role[] }): Actor {
  return { id: user.id, roles: user.roles, source: user.roles.includes('admin') ? 'admin' : 'teacher_form' };
}

export async function makeCourse(db: Kysely<Database>, options: { maxPoints?: number; kind?: CourseKind } = {}) {
  const id = newId();
  await db
    .insertInto('courses')
    .values({
      id,
      code: `C-${unique()}`,
      title: 'Eerste hulp op de werkvloer',
      kind: options.kind ?? 'classroom',
      max_study_points: options.maxPoints ?? 10,
      study_term_days: null,
      version: 1,
      replaces_course_id: null,
      knowledge_centre_url: null,
      elearning_url: null,
      archived_at: null,
      cancelled_at: null,
      created_at: nowIso(),
    })
    .execute();
  return { id };
}

/**
 * A run with meetings at the given day offsets from `now` (09:00–12:00 UTC), each worth `points`,
 * taught by `teacher`.
 */
export async function makeRun(
  db: Kysely<Database>,
  options: { teacherId: string; courseId?: string; meetingDays?: number[]; points?: number; maxPoints?: number; now?: Date },
) {
  const now = options.now ?? new Date();
  const courseId = options.courseId ?? (await makeCourse(db, { maxPoints: options.maxPoints })).id;
  const days = options.meetingDays ?? [-14, -7, 7];
  const dayIso = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  const id = newId();
  await db
    .insertInto('runs')
    .values({
      id,
      course_id: courseId,
      code: `R-${unique()}`,
      starts_on: dayIso(Math.min(...days)),
      ends_on: dayIso(Math.max(...days)),
      place: 'Gent',
      capacity: null,
      cancelled_at: null,
      created_at: nowIso(),
    })
    .execute();
  await db.insertInto('run_teachers').values({ run_id: id, user_id: options.teacherId }).execute();
  const meetings = days.map((d) => ({
    id: newId(),
    run_id: id,
    starts_at: `${dayIso(d)}T09:00:00.000Z`,
    ends_at: `${dayIso(d)}T12:00:00.000Z`,
    place: 'Gent',
    study_points: options.points ?? 1,
  }));
  await db.insertInto('meetings').values(meetings).execute();
  return { id, courseId, meetings, startsOn: dayIso(Math.min(...days)) };
}

export async function enrol(
  db: Kysely<Database>,
  run: { id: string; courseId: string },
  userId: string,
  options: { status?: StatusCode; withdrawnOn?: string | null } = {},
) {
  const id = newId();
  const at = nowIso();
  await db
    .insertInto('enrolments')
    .values({
      id,
      user_id: userId,
      course_id: run.courseId,
      run_id: run.id,
      programme_id: null,
      status: options.status ?? 'enrolled',
      status_changed_at: at,
      enrolled_at: at,
      term_ends_on: null,
      withdrawn_on: options.withdrawnOn ?? null,
      force_majeure_note: null,
      force_majeure_file: null,
      effort: null,
      effort_comment: null,
      version: 1,
      updated_at: at,
    })
    .execute();
  return { id, userId };
}

/**
 * Enrols `count` new participants (named "Deelnemer 000", "Deelnemer 001", …) in a run with a few
 * multi-row inserts; returns their enrolment ids in name order.
 */
export async function enrolMany(db: Kysely<Database>, run: { id: string; courseId: string }, count: number): Promise<string[]> {
  const at = nowIso();
  const users = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    email: `p${i}-${run.id}@example.test`.toLowerCase(),
    name: `Deelnemer ${String(i).padStart(3, '0')}`,
    password_hash: null,
    locale: null,
    created_at: at,
    anonymised_at: null,
  }));
  const enrolments = users.map((u) => ({
    id: newId(),
    user_id: u.id,
    course_id: run.courseId,
    run_id: run.id,
    programme_id: null,
    status: 'enrolled' as const,
    status_changed_at: at,
    enrolled_at: at,
    term_ends_on: null,
    withdrawn_on: null,
    force_majeure_note: null,
    force_majeure_file: null,
    effort: null,
    effort_comment: null,
    version: 1,
    updated_at: at,
  }));
  for (let i = 0; i < count; i += 500) {
    await db.insertInto('users').values(users.slice(i, i + 500)).execute();
    await db.insertInto('enrolments').values(enrolments.slice(i, i + 500)).execute();
  }
  return enrolments.map((e) => e.id);
}

/** A valid certificate for an enrolment (the enrolment's status is the test's to set), with its verification code. */
export async function makeCertificate(db: Kysely<Database>, of: { enrolmentId: string; userId: string; courseId: string }) {
  const id = newId();
  const verificationCode = `V${id.slice(-15)}`;
  await db
    .insertInto('certificates')
    .values({
      id,
      number: `PRS-2026-${id.slice(-8)}`,
      verification_code: verificationCode,
      enrolment_id: of.enrolmentId,
      user_id: of.userId,
      course_id: of.courseId,
      study_points: 1,
      completed_on: '2026-01-15',
      issued_at: nowIso(),
      revoked_at: null,
    })
    .execute();
  return { id, verificationCode };
}
