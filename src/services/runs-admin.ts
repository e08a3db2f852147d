import { newId, nowIso, type Db } from '../db/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { brusselsInstant, brusselsWallClock } from '../domain/brussels-time.ts';
import {
  changedAttributes,
  parseMeeting,
  parseRun,
  planRunCopy,
  pointsOverMaximum,
  type CopyField,
  type FieldRefusals,
  type MeetingForm,
  type MeetingValues,
  type RunForm,
  type RunValues,
} from '../domain/catalog.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getCourse } from '../repositories/catalog-admin.ts';
import { insertMeetings, insertRuns } from '../repositories/catalog.ts';
import {
  addRunTeacher,
  deleteMeeting as removeMeeting,
  getRunForAdmin,
  getTeacher,
  listMeetingsWithAttendance,
  listRunTeachers,
  removeRunTeacher,
  runCodeTaken,
  searchTeachers,
  teachesRun,
  updateMeeting as writeMeeting,
  updateRun as writeRun,
  type AdminRun,
} from '../repositories/runs-admin.ts';
import type { Actor } from './actor.ts';
import { inTransaction, recordCatalogChange, requireAdmin } from './admin-access.ts';
import type { Saved } from './catalog-admin.ts';

/** Runs, their meetings and teachers for head office; every change in the history with the administrator as actor. */

export const TEACHER_SEARCH_LIMIT = 20;

/** Why a meeting cannot be deleted: attendance is registered for it (it can still be moved). */
export type MeetingDeleteRefusal = { ok: false; reason: 'meeting_has_attendance'; attendance: number };

/** A run with its meetings, teachers, and the points warning (meetings over the course maximum). */
export async function getRunPage(db: Db, actor: Actor, runId: string, options: { teacherQuery?: string } = {}) {
  requireAdmin(actor);
  const run = await getRunForAdmin(db, runId);
  if (!run) throw new NotFoundOrNoAccess();
  const query = (options.teacherQuery ?? '').slice(0, 200);
  const [meetings, teachers, found] = await Promise.all([
    listMeetingsWithAttendance(db, runId),
    listRunTeachers(db, runId),
    query.trim() ? searchTeachers(db, query, TEACHER_SEARCH_LIMIT) : Promise.resolve([]),
  ]);
  const assigned = new Set(teachers.map((t) => t.id));
  return {
    run,
    meetings,
    teachers,
    teacherQuery: query,
    candidates: found.map((f) => ({ ...f, assigned: assigned.has(f.id) })),
    pointsWarning: pointsOverMaximum(meetings, run.max_study_points),
  };
}

export type RunPage = Awaited<ReturnType<typeof getRunPage>>;

/** The form values of a stored run. */
export function runForm(run: Pick<AdminRun, 'code' | 'place' | 'capacity' | 'starts_on' | 'ends_on'>): RunForm {
  return { code: run.code, place: run.place, capacity: run.capacity === null ? '' : String(run.capacity), startsOn: run.starts_on, endsOn: run.ends_on };
}

const runColumns = (v: RunValues) => ({ code: v.code, place: v.place, capacity: v.capacity, starts_on: v.startsOn, ends_on: v.endsOn });
const meetingColumns = (v: MeetingValues) => ({ starts_at: v.startsAt, ends_at: v.endsAt, place: v.place, study_points: v.studyPoints });
const codeTakenRefusal = { ok: false as const, errors: { code: { reason: 'code_taken' as const } } };

async function uniqueCode<T>(work: () => Promise<T>): Promise<T | typeof codeTakenRefusal> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return codeTakenRefusal;
    throw error;
  }
}

/** The course a new run belongs to (for its page), or not found. */
export async function getCourseForNewRun(db: Db, actor: Actor, courseId: string) {
  requireAdmin(actor);
  const course = await getCourse(db, courseId);
  if (!course) throw new NotFoundOrNoAccess();
  return course;
}

/** Creates a run of a course, or refuses per field. */
export async function createRun(db: Db, actor: Actor, courseId: string, form: RunForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return uniqueCode(() =>
    inTransaction(db, async (trx) => {
      if (!(await getCourse(trx, courseId))) throw new NotFoundOrNoAccess();
      const taken = await runCodeTaken(trx, (form.code ?? '').trim().toUpperCase());
      const parsed = parseRun(form, { codeTaken: () => taken });
      if (!parsed.ok) return parsed;
      const id = newId();
      const columns = runColumns(parsed.values);
      await insertRuns(trx, [{ id, course_id: courseId, ...columns, cancelled_at: null, created_at: nowIso(now) }]);
      await recordCatalogChange(trx, actor, { field: 'run', runId: id, old: null, new: JSON.stringify(columns), note: `course:${courseId}` }, now);
      return { ok: true as const, id };
    }),
  );
}

/** Changes a run's code, place, capacity or dates; its dates must keep holding its meetings. */
export async function updateRun(db: Db, actor: Actor, runId: string, form: RunForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return uniqueCode(() =>
    inTransaction(db, async (trx) => {
      const run = await getRunForAdmin(trx, runId);
      if (!run) throw new NotFoundOrNoAccess();
      const meetings = await listMeetingsWithAttendance(trx, runId);
      const taken = await runCodeTaken(trx, (form.code ?? '').trim().toUpperCase(), runId);
      const parsed = parseRun(form, { codeTaken: () => taken, meetingDates: meetings.map((m) => brusselsWallClock(m.starts_at).date) });
      if (!parsed.ok) return parsed;
      const after = runColumns(parsed.values);
      const changed = changedAttributes({ code: run.code, place: run.place, capacity: run.capacity, starts_on: run.starts_on, ends_on: run.ends_on }, after);
      if (changed) {
        await writeRun(trx, runId, after);
        await recordCatalogChange(trx, actor, { field: 'run', runId, old: changed.old, new: changed.new, note: null }, now);
      }
      return { ok: true as const, id: runId };
    }),
  );
}

async function loadRun(db: Db, runId: string) {
  const run = await getRunForAdmin(db, runId);
  if (!run) throw new NotFoundOrNoAccess();
  return run;
}

/** Adds a meeting (entered in Brussels time) to a run, or refuses per field. */
export async function addMeeting(db: Db, actor: Actor, runId: string, form: MeetingForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const run = await loadRun(trx, runId);
    const parsed = parseMeeting(form, { startsOn: run.starts_on, endsOn: run.ends_on, place: run.place }, brusselsInstant);
    if (!parsed.ok) return parsed;
    const id = newId();
    const columns = meetingColumns(parsed.values);
    await insertMeetings(trx, [{ id, run_id: runId, ...columns }]);
    await recordCatalogChange(trx, actor, { field: 'meeting', runId, meetingId: id, old: null, new: JSON.stringify(columns), note: null }, now);
    return { ok: true, id };
  });
}

/** A meeting of a run, for its form. */
export async function getMeetingForAdmin(db: Db, actor: Actor, runId: string, meetingId: string) {
  requireAdmin(actor);
  const run = await loadRun(db, runId);
  const meeting = (await listMeetingsWithAttendance(db, runId)).find((m) => m.id === meetingId);
  if (!meeting) throw new NotFoundOrNoAccess();
  return { run, meeting };
}

/** Moves or changes a meeting (also one with attendance: its registrations move with it). */
export async function updateMeeting(db: Db, actor: Actor, runId: string, meetingId: string, form: MeetingForm, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    const run = await loadRun(trx, runId);
    const meeting = (await listMeetingsWithAttendance(trx, runId)).find((m) => m.id === meetingId);
    if (!meeting) throw new NotFoundOrNoAccess();
    const parsed = parseMeeting(form, { startsOn: run.starts_on, endsOn: run.ends_on, place: run.place }, brusselsInstant);
    if (!parsed.ok) return parsed;
    const after = meetingColumns(parsed.values);
    const changed = changedAttributes({ starts_at: meeting.starts_at, ends_at: meeting.ends_at, place: meeting.place, study_points: meeting.study_points }, after);
    if (changed) {
      await writeMeeting(trx, meetingId, after);
      await recordCatalogChange(trx, actor, { field: 'meeting', runId, meetingId, old: changed.old, new: changed.new, note: null }, now);
    }
    return { ok: true, id: meetingId };
  });
}

/**
 * Deletes a meeting that has no attendance. A meeting with registered (or reported) attendance is
 * refused, saying how many registrations it holds: deleting it would erase those and the points they
 * credited; it can be moved instead.
 */
export async function deleteMeeting(db: Db, actor: Actor, runId: string, meetingId: string, now: Date = new Date()): Promise<{ ok: true } | MeetingDeleteRefusal> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    await loadRun(trx, runId);
    const meeting = (await listMeetingsWithAttendance(trx, runId)).find((m) => m.id === meetingId);
    if (!meeting) throw new NotFoundOrNoAccess();
    if (meeting.attendance > 0) return { ok: false, reason: 'meeting_has_attendance', attendance: meeting.attendance };
    await removeMeeting(trx, meetingId);
    const old = JSON.stringify({ starts_at: meeting.starts_at, ends_at: meeting.ends_at, place: meeting.place, study_points: meeting.study_points });
    await recordCatalogChange(trx, actor, { field: 'meeting', runId, meetingId, old, new: null, note: null }, now);
    return { ok: true };
  });
}

/**
 * Copies a run to a new start date with a new code: same course, place and capacity, every meeting
 * moved by the same number of days at the same Brussels wall-clock time. Teachers and participants
 * are not copied.
 */
export async function copyRun(db: Db, actor: Actor, runId: string, form: Partial<Record<CopyField, string>>, now: Date = new Date()): Promise<Saved> {
  requireAdmin(actor);
  return uniqueCode(() =>
    inTransaction(db, async (trx) => {
      const run = await loadRun(trx, runId);
      const meetings = await listMeetingsWithAttendance(trx, runId);
      const taken = await runCodeTaken(trx, (form.code ?? '').trim().toUpperCase());
      const planned = planRunCopy(run, meetings, form, () => taken);
      if (!planned.ok) return planned;
      const id = newId();
      const columns = runColumns(planned.values.run);
      await insertRuns(trx, [{ id, course_id: run.course_id, ...columns, cancelled_at: null, created_at: nowIso(now) }]);
      const rows = planned.values.meetings.map((m) => ({ id: newId(), run_id: id, ...meetingColumns(m) }));
      await insertMeetings(trx, rows);
      await recordCatalogChange(trx, actor, { field: 'run', runId: id, old: null, new: JSON.stringify({ ...columns, meetings: rows.length }), note: `copy_of:${runId}` }, now);
      return { ok: true as const, id };
    }),
  );
}

/** Assigns a teacher (someone with the teacher role) to a run; assigning them again changes nothing. */
export async function assignTeacher(db: Db, actor: Actor, runId: string, userId: string, now: Date = new Date()): Promise<{ ok: true; name: string } | { ok: false; errors: FieldRefusals<'teacher'> }> {
  requireAdmin(actor);
  return inTransaction(db, async (trx) => {
    await loadRun(trx, runId);
    const teacher = await getTeacher(trx, userId);
    if (!teacher) return { ok: false, errors: { teacher: { reason: 'not_a_teacher' } } };
    if (!(await teachesRun(trx, runId, userId))) {
      await addRunTeacher(trx, runId, userId);
      await recordCatalogChange(trx, actor, { field: 'teacher', userId, runId, old: null, new: 'assigned', note: null }, now);
    }
    return { ok: true, name: teacher.name };
  });
}

/** Removes a teacher from a run (their registrations stay in the history). */
export async function removeTeacher(db: Db, actor: Actor, runId: string, userId: string, now: Date = new Date()): Promise<void> {
  requireAdmin(actor);
  await inTransaction(db, async (trx) => {
    await loadRun(trx, runId);
    if (!(await teachesRun(trx, runId, userId))) throw new NotFoundOrNoAccess();
    await removeRunTeacher(trx, runId, userId);
    await recordCatalogChange(trx, actor, { field: 'teacher', userId, runId, old: 'assigned', new: null, note: null }, now);
  });
}
