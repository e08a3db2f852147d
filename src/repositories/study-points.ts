import type { Db } from '../db/index.ts';

/**
 * Every attendance record that credited study points to a person, with its meeting's start and its
 * course: what a transcript adds up per calendar year and course. Ordered by meeting start.
 */
export async function listCreditedPoints(db: Db, userId: string) {
  return db
    .selectFrom('attendance as a')
    .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .select(['c.id as course_id', 'c.code as course_code', 'c.title as course_title', 'c.max_study_points', 'm.starts_at', 'a.study_points', 'a.points_override_by'])
    .where('e.user_id', '=', userId)
    .where('a.study_points', '!=', 0)
    .orderBy('m.starts_at')
    .orderBy('a.meeting_id')
    .execute();
}

export type CreditedPointsRow = Awaited<ReturnType<typeof listCreditedPoints>>[number];
