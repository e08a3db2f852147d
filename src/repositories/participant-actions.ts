import type { Updateable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { EnrolmentsTable, StatusCode } from '../db/schema.ts';

/** One enrolment with what the participant's own actions check: its course's kind and its run's dates. */
export async function getEnrolmentForAction(db: Db, enrolmentId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .select([
      'e.id',
      'e.user_id',
      'e.course_id',
      'e.run_id',
      'e.status',
      'e.withdrawn_on',
      'e.version',
      'c.kind as course_kind',
      'r.starts_on as run_starts_on',
    ])
    .where('e.id', '=', enrolmentId)
    .forNoKeyUpdate('e')
    .executeTakeFirst();
}

export type EnrolmentForAction = NonNullable<Awaited<ReturnType<typeof getEnrolmentForAction>>>;

/**
 * Changes one enrolment's columns, raising its version (R11: a teacher's page loaded before this
 * change then sees it as a colleague's change). Returns whether the row was still at `version`.
 */
export async function updateEnrolment(
  db: Db,
  enrolment: { id: string; version: number },
  values: Omit<Updateable<EnrolmentsTable>, 'id' | 'version'>,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('enrolments')
    .set({ ...values, version: enrolment.version + 1, updated_at: at })
    .where('id', '=', enrolment.id)
    .where('version', '=', enrolment.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The new status, and when it was set, as columns. */
export function statusColumns(status: StatusCode, at: string) {
  return { status, status_changed_at: at };
}

/** A meeting of the enrolment's run with what is recorded for the enrolment there, or undefined. */
export async function getMeetingAttendance(db: Db, enrolmentId: string, runId: string, meetingId: string) {
  return db
    .selectFrom('meetings as m')
    .leftJoin('attendance as a', (join) => join.onRef('a.meeting_id', '=', 'm.id').on('a.enrolment_id', '=', enrolmentId))
    .select(['m.id', 'm.starts_at', 'a.present', 'a.reported_absent_at', 'a.absence_reason', 'a.enrolment_id as recorded'])
    .where('m.id', '=', meetingId)
    .where('m.run_id', '=', runId)
    .executeTakeFirst();
}

/** Records (or replaces the reason of) an absence reported in advance: no presence, no points. */
export async function upsertReportedAbsence(
  db: Db,
  row: { enrolmentId: string; meetingId: string; reason: string; at: string; by: string },
): Promise<void> {
  await db
    .insertInto('attendance')
    .values({
      enrolment_id: row.enrolmentId,
      meeting_id: row.meetingId,
      present: null,
      reported_absent_at: row.at,
      absence_reason: row.reason,
      study_points: 0,
      points_override_by: null,
      points_override_at: null,
      recorded_by: row.by,
      recorded_at: row.at,
    })
    .onConflict((oc) =>
      oc.columns(['enrolment_id', 'meeting_id']).doUpdateSet({ reported_absent_at: row.at, absence_reason: row.reason, recorded_by: row.by, recorded_at: row.at }),
    )
    .execute();
}

/** Removes an absence reported in advance, only while no presence is registered over it. */
export async function deleteReportedAbsence(db: Db, enrolmentId: string, meetingId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('attendance')
    .where('enrolment_id', '=', enrolmentId)
    .where('meeting_id', '=', meetingId)
    .where('present', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * Erases what a participant wrote about themselves (the reasons of their withdrawals and of absences
 * they reported) from their enrolments, attendance and history: for anonymisation.
 */
export async function clearParticipantReasons(db: Db, userId: string): Promise<void> {
  await db.updateTable('enrolments').set({ withdrawal_reason: null }).where('user_id', '=', userId).where('withdrawal_reason', 'is not', null).execute();
  await db
    .updateTable('attendance')
    .set({ absence_reason: null })
    .where('enrolment_id', 'in', (eb) => eb.selectFrom('enrolments').select('id').where('user_id', '=', userId))
    .where('absence_reason', 'is not', null)
    .execute();
  await db
    .updateTable('history_main') // a participant's rows: never the system's
    .set({ note: null })
    .where('user_id', '=', userId)
    .where('source', '=', 'participant')
    .where('field', 'in', ['withdrawal', 'attendance'])
    .execute();
}

/** What the teachers' e-mail about a reported absence says, and to whom: the run's teachers (one row each, or one without). */
export async function getAbsenceNotice(db: Db, runId: string, participantId: string) {
  return db
    .selectFrom('runs as r')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .innerJoin('users as u', (join) => join.on('u.id', '=', participantId))
    .leftJoin('run_teachers as rt', 'rt.run_id', 'r.id')
    .select(['r.id', 'r.code', 'c.title as course_title', 'u.name as participant_name', 'rt.user_id as teacher_id'])
    .where('r.id', '=', runId)
    .execute();
}
