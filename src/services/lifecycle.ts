import { newId, nowIso, type Db } from '../db/index.ts';
import {
  planArchive,
  planCancellation,
  planExemption,
  planNextVersion,
  type LifecycleRefusal,
  type StatusChange,
} from '../domain/lifecycle.ts';
import { OPEN_STATUSES } from '../domain/study-status.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory, enrolmentHistory } from '../repositories/history.ts';
import {
  archiveCourseRow,
  cancelCourseRows,
  cancelRunRow,
  getCourse,
  getRunForAdmin,
  insertCourse,
  latestVersionOf,
  lockEnrolment,
  listRunsWithTeachers,
  lockEnrolmentsOf,
  setEnrolmentStatus,
} from '../repositories/lifecycle.ts';
import { cancellationMails } from '../domain/mail.ts';
import type { Actor } from './actor.ts';
import { enqueueMails } from './mail-outbox.ts';

/** The administrator's action was refused; nothing was written. Each reason is an i18n key under `lifecycle.refusals`. */
export class LifecycleRefused extends AppError {
  constructor(readonly refusals: readonly LifecycleRefusal[]) {
    super('invalid_input', 422, `refused: ${refusals.join(', ')}`);
  }
}

/** Someone changed these enrolments between reading and writing; nothing was written. */
export class LifecycleConflict extends AppError {
  constructor() {
    super('conflict', 409, 'lifecycle conflict');
  }
}

/** Only administrators cancel, archive, publish versions and exempt (R1); anyone else learns nothing. */
export function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Writes a plan's status changes (all to one status) and their history; a row changed meanwhile
 * refuses the whole. Every administrator's status change of many enrolments goes through here.
 */
export async function writeChanges(trx: Db, actor: Actor, at: string, changes: readonly StatusChange[], note: string | null, extra: { exemptionReason?: string; exemptionFile?: string | null } = {}) {
  if (changes.length === 0) return;
  const to = changes[0]!.to;
  const written = await setEnrolmentStatus(
    trx,
    changes.map((c) => c.enrolment.id),
    { status: to, from: [...OPEN_STATUSES], at, ...extra },
  );
  if (written !== changes.length) throw new LifecycleConflict();
  await appendHistory(
    trx,
    changes.map((c) => enrolmentHistory(actor, at, c.enrolment, { field: 'status', old_value: c.from, new_value: c.to, note })),
  );
}

/** Tells the participants whose enrolments were cancelled, and the runs' teachers, by e-mail (outbox). */
async function mailCancellation(trx: Db, runIds: readonly string[], changes: readonly StatusChange[], reason: string, at: string): Promise<void> {
  if (runIds.length === 0) return;
  const runs = await listRunsWithTeachers(trx, runIds);
  await enqueueMails(trx, cancellationMails(runs, changes.map((c) => c.enrolment), reason), at);
}

export interface CancellationSummary {
  /** Enrolments that became Geannuleerd. */
  cancelled: number;
  /** Runs marked cancelled (the run itself, or every run of the course not cancelled yet). */
  runs: number;
}

/**
 * Cancels a run (Geannuleerd) with a reason: the run takes no more attendance, and every enrolment of
 * it in an open status becomes cancelled, with the reason in its history. Final statuses stay (R8).
 */
export async function cancelRun(db: Db, actor: Actor, runId: string, reason: string, now: Date = new Date()): Promise<CancellationSummary> {
  requireAdmin(actor);
  const at = nowIso(now);
  return inTransaction(db, async (trx) => {
    const run = await getRunForAdmin(trx, runId);
    if (!run) throw new NotFoundOrNoAccess();
    const enrolments = await lockEnrolmentsOf(trx, { runId });
    const plan = planCancellation({ reason, cancelledAt: run.cancelled_at, enrolments });
    if (!plan.ok) throw new LifecycleRefused(plan.refusals);
    await cancelRunRow(trx, runId, at, plan.value.reason);
    await writeChanges(trx, actor, at, plan.value.changes, plan.value.reason);
    await mailCancellation(trx, [runId], plan.value.changes, plan.value.reason, at);
    return { cancelled: plan.value.changes.length, runs: 1 };
  });
}

/**
 * Cancels a course with a reason: the course and every run of it not cancelled yet are marked
 * cancelled with that reason (so none takes attendance any more), and every enrolment in the course
 * in an open status, with or without a run, becomes cancelled.
 */
export async function cancelCourse(db: Db, actor: Actor, courseId: string, reason: string, now: Date = new Date()): Promise<CancellationSummary> {
  requireAdmin(actor);
  const at = nowIso(now);
  return inTransaction(db, async (trx) => {
    const course = await getCourse(trx, courseId);
    if (!course) throw new NotFoundOrNoAccess();
    const enrolments = await lockEnrolmentsOf(trx, { courseId });
    const plan = planCancellation({ reason, cancelledAt: course.cancelled_at, enrolments });
    if (!plan.ok) throw new LifecycleRefused(plan.refusals);
    const runs = await cancelCourseRows(trx, courseId, at, plan.value.reason);
    await writeChanges(trx, actor, at, plan.value.changes, plan.value.reason);
    await mailCancellation(trx, runs, plan.value.changes, plan.value.reason, at);
    return { cancelled: plan.value.changes.length, runs: runs.length };
  });
}

/**
 * Publishes version n+1 of a course: a copy of its settings under the same code, replacing it.
 * Version n, its runs, enrolments, history and certificates stay as they are. Returns the new id.
 */
export async function publishNextVersion(db: Db, actor: Actor, courseId: string, now: Date = new Date()): Promise<{ courseId: string; version: number }> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const course = await getCourse(trx, courseId);
    if (!course) throw new NotFoundOrNoAccess();
    const plan = planNextVersion(course, await latestVersionOf(trx, course.code));
    if (!plan.ok) throw new LifecycleRefused(plan.refusals);
    const id = newId();
    await insertCourse(trx, { ...plan.value, id, archived_at: null, cancelled_at: null, cancel_reason: null, created_at: nowIso(now) });
    return { courseId: id, version: plan.value.version };
  });
}

/**
 * Archives a course version (Gearchiveerd): its enrolments in an open status become archived.
 * Enrolments with a final status, their history and their certificates stay readable as they are.
 */
export async function archiveCourse(db: Db, actor: Actor, courseId: string, now: Date = new Date()): Promise<{ archived: number }> {
  requireAdmin(actor);
  const at = nowIso(now);
  return inTransaction(db, async (trx) => {
    const course = await getCourse(trx, courseId);
    if (!course) throw new NotFoundOrNoAccess();
    const enrolments = await lockEnrolmentsOf(trx, { courseId });
    const plan = planArchive({ archivedAt: course.archived_at, enrolments });
    if (!plan.ok) throw new LifecycleRefused(plan.refusals);
    await archiveCourseRow(trx, courseId, at);
    await writeChanges(trx, actor, at, plan.value, 'course_archived');
    return { archived: plan.value.length };
  });
}

/**
 * Exempts one participant (Vrijgesteld) on an exemption file: the reason and, when given, the key of
 * the stored evidence are kept on the enrolment and the reason in its history. Only an enrolment in
 * an open status is exempted.
 */
export async function exemptEnrolment(
  db: Db,
  actor: Actor,
  enrolmentId: string,
  file: { reason: string; evidenceKey: string | null },
  now: Date = new Date(),
): Promise<void> {
  requireAdmin(actor);
  const at = nowIso(now);
  await inTransaction(db, async (trx) => {
    const enrolment = await lockEnrolment(trx, enrolmentId);
    if (!enrolment) throw new NotFoundOrNoAccess();
    const plan = planExemption({ enrolment, reason: file.reason });
    if (!plan.ok) throw new LifecycleRefused(plan.refusals);
    await writeChanges(trx, actor, at, [plan.value.change], plan.value.reason, { exemptionReason: plan.value.reason, exemptionFile: file.evidenceKey });
  });
}
