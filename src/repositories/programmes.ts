import type { Db } from '../db/index.ts';
import { INACTIVE_STATUSES } from '../domain/study-status.ts';

/** A programme, or undefined. */
export async function getProgramme(db: Db, programmeId: string) {
  return db.selectFrom('programmes').select(['id', 'title', 'study_term_days']).where('id', '=', programmeId).executeTakeFirst();
}

/** A programme's courses in their order, with the kind of each. */
export async function listProgrammeCourses(db: Db, programmeId: string) {
  return db
    .selectFrom('programme_courses as pc')
    .innerJoin('courses as c', 'c.id', 'pc.course_id')
    .select(['c.id', 'c.kind', 'c.title', 'c.study_term_days'])
    .where('pc.programme_id', '=', programmeId)
    .orderBy('pc.position')
    .execute();
}

/** The runs of these courses that are not cancelled and start after `today` (open for enrolment). */
export async function listOpenRuns(db: Db, courseIds: readonly string[], today: string) {
  if (courseIds.length === 0) return [];
  return db
    .selectFrom('runs')
    .select(['id', 'course_id', 'code', 'starts_on', 'ends_on', 'place', 'capacity'])
    .where('course_id', 'in', courseIds)
    .where('cancelled_at', 'is', null)
    .where('starts_on', '>', today)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
}

/** The courses (of these) that the person already follows in an open status. */
export async function listFollowedCourses(db: Db, userId: string, courseIds: readonly string[]): Promise<Set<string>> {
  if (courseIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('enrolments')
    .select('course_id')
    .where('user_id', '=', userId)
    .where('course_id', 'in', courseIds)
    .where('status', 'in', ['enrolled', 'not_started', 'started', 'run_choice_required'])
    .execute();
  return new Set(rows.map((r) => r.course_id));
}

/** The open runs of one course with the places each has taken and its waiting list's length, for the participant's run choice. */
export async function listRunChoices(db: Db, courseId: string, today: string) {
  const rows = await db
    .selectFrom('runs as r')
    .select([
      'r.id',
      'r.code',
      'r.starts_on',
      'r.ends_on',
      'r.place',
      'r.capacity',
      (eb) =>
        eb
          .selectFrom('enrolments as e')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('e.run_id', '=', 'r.id')
          .where('e.status', 'not in', [...INACTIVE_STATUSES])
          .as('taken'),
      (eb) =>
        eb
          .selectFrom('waiting_list as w')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('w.run_id', '=', 'r.id')
          .as('waiting'),
    ])
    .where('r.course_id', '=', courseId)
    .where('r.cancelled_at', 'is', null)
    .where('r.starts_on', '>', today)
    .orderBy('r.starts_on')
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({ ...r, taken: Number(r.taken ?? 0), waiting: Number(r.waiting ?? 0) }));
}
