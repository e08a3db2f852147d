import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import type { StatusCode } from '../db/schema.ts';
import type { Actor } from '../services/actor.ts';

/** Builders for the participant's own actions: the participant as actor, programmes, enrolments without a run. */

export function participantActorOf(user: { id: string }): Actor {
  return { id: user.id, roles: ['participant'], source: 'participant' };
}

export function adminActorOf(user: { id: string }): Actor {
  return { id: user.id, roles: ['admin'], source: 'admin' };
}

/** A programme of these courses, in this order. */
export async function makeProgramme(db: Kysely<Database>, courseIds: readonly string[], title = 'Veiligheid op de werkvloer') {
  const id = newId();
  await db.insertInto('programmes').values({ id, title, study_term_days: 365, created_at: nowIso() }).execute();
  await db
    .insertInto('programme_courses')
    .values(courseIds.map((courseId, position) => ({ programme_id: id, course_id: courseId, position })))
    .execute();
  return { id, title };
}

/** An enrolment in a course with no run (e-learning, or a programme course waiting for a run choice). */
export async function enrolInCourse(db: Kysely<Database>, courseId: string, userId: string, status: StatusCode) {
  const id = newId();
  const at = nowIso();
  await db
    .insertInto('enrolments')
    .values({ id, user_id: userId, course_id: courseId, run_id: null, programme_id: null, status, status_changed_at: at, enrolled_at: at, version: 1, updated_at: at })
    .execute();
  return { id, userId };
}
