import type { Db } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getCourse, getEnrolmentForAdmin, getRunForAdmin, latestVersionOf, listCourseEnrolments, listCourseRuns, listCourses } from '../repositories/lifecycle.ts';
import type { Actor } from './actor.ts';
import { requireAdmin } from './lifecycle.ts';

/** Every course version, for the administrator's lifecycle overview. */
export async function listCoursesForLifecycle(db: Db, actor: Actor) {
  requireAdmin(actor);
  return listCourses(db);
}

/** One course version with its runs and enrolments, and whether it is the latest version of its code. */
export async function getCourseForLifecycle(db: Db, actor: Actor, courseId: string) {
  requireAdmin(actor);
  const course = await getCourse(db, courseId);
  if (!course) throw new NotFoundOrNoAccess();
  const [runs, enrolments, latest] = await Promise.all([listCourseRuns(db, courseId), listCourseEnrolments(db, courseId), latestVersionOf(db, course.code)]);
  return { course, runs, enrolments, isLatest: latest === course.version };
}

export type CourseForLifecycle = Awaited<ReturnType<typeof getCourseForLifecycle>>;

/** A run, for its cancellation page. */
export async function getRunForLifecycle(db: Db, actor: Actor, runId: string) {
  requireAdmin(actor);
  const run = await getRunForAdmin(db, runId);
  if (!run) throw new NotFoundOrNoAccess();
  return run;
}

/** An enrolment with its person and course, for its exemption page. */
export async function getEnrolmentForLifecycle(db: Db, actor: Actor, enrolmentId: string) {
  requireAdmin(actor);
  const enrolment = await getEnrolmentForAdmin(db, enrolmentId);
  if (!enrolment) throw new NotFoundOrNoAccess();
  return enrolment;
}
