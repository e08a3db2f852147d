import type { Insertable, Selectable } from 'kysely';
import { insertRows } from '../db/bulk.ts';
import type { Db } from '../db/index.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { AttendanceTable, EnrolmentsTable } from '../db/schema.ts';

export type EnrolmentRow = Selectable<EnrolmentsTable>;
/** What the participants page and the save read of an attendance record. */
export type AttendanceRow = Pick<Selectable<AttendanceTable>, 'enrolment_id' | 'meeting_id' | 'present' | 'reported_absent_at' | 'study_points'>;

const runEnrolments = preparedQuery((db: Db, runId: string) =>
  db
    .selectFrom('enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .selectAll('e')
    .select(['u.name as user_name', 'u.email as user_email'])
    .where('e.run_id', '=', runId)
    .orderBy('u.name')
    .orderBy('e.id'),
);

/** Every enrolment of a run with the participant's name and e-mail, ordered by name. */
export async function listRunEnrolments(db: Db, runId: string) {
  return runEnrolments.execute(db, runId);
}

export type RunEnrolment = Awaited<ReturnType<typeof listRunEnrolments>>[number];

const runParticipants = preparedQuery((db: Db, runId: string) =>
  db
    .selectFrom('enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select([
      'e.id',
      'e.user_id',
      'e.status',
      'e.version',
      'e.effort',
      'e.effort_comment',
      'e.withdrawn_on',
      'e.force_majeure_note',
      'e.force_majeure_file',
      'u.name as user_name',
      'u.email as user_email',
    ])
    .where('e.run_id', '=', runId)
    .orderBy('u.name')
    .orderBy('e.id'),
);

/**
 * The enrolments of a run as the participants page shows them, ordered by name: only the columns it
 * uses, since the driver's cost grows with every column of every row (bench B: 170 → 110 µs for 25).
 */
export async function listRunParticipants(db: Db, runId: string) {
  return runParticipants.execute(db, runId);
}

/**
 * Locks the run's enrolment rows until the transaction ends, in id order. A second save on the same
 * run then waits for the first to commit and reads its versions (R11 refuses it cleanly at load),
 * instead of interleaving its writes with the first and deadlocking on rows taken in another order.
 * PostgreSQL only: on SQLite the clause is dropped (see `src/db/row-locks.ts`).
 */
export async function lockRunEnrolments(db: Db, runId: string): Promise<void> {
  await db.selectFrom('enrolments').select('id').where('run_id', '=', runId).orderBy('id').forNoKeyUpdate().execute();
}

/** What the participants page, the save and the run's export read of an attendance record. */
const ATTENDANCE_READ = ['a.enrolment_id', 'a.meeting_id', 'a.present', 'a.reported_absent_at', 'a.study_points'] as const;

const runAttendance = preparedQuery((db: Db, runId: string) =>
  db
    .selectFrom('attendance as a')
    .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
    .select([...ATTENDANCE_READ, 'a.absence_reason'])
    .where('e.run_id', '=', runId),
);

/**
 * All attendance recorded for the enrolments of a run: only the columns the page and the save use,
 * since a run of 500 × 20 has 10,000 records and each column read costs (bench A: 11 → 7 ms), and the
 * reason of each absence reported in advance, which the participants page shows (read here, not by a
 * query of its own: each query costs the class page a round trip; bench B).
 */
export async function listRunAttendance(db: Db, runId: string): Promise<(AttendanceRow & Pick<Selectable<AttendanceTable>, 'absence_reason'>)[]> {
  return runAttendance.execute(db, runId);
}

/**
 * The same columns for some enrolments only: a large run's export reads its attendance a page of
 * participants at a time, so that it never holds the whole run's records at once.
 */
export async function listAttendanceOf(db: Db, enrolmentIds: readonly string[]): Promise<AttendanceRow[]> {
  if (enrolmentIds.length === 0) return [];
  return db.selectFrom('attendance as a').select(ATTENDANCE_READ).where('a.enrolment_id', 'in', enrolmentIds).execute();
}

/**
 * Study points each participant of the run holds for the course from enrolments other than this
 * run's (an earlier run of the same course counts against the same maximum).
 */
export async function creditedElsewhere(db: Db, runId: string, courseId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('attendance as a')
    .innerJoin('enrolments as other', 'other.id', 'a.enrolment_id')
    .select(['other.user_id', (eb) => eb.fn.sum<number>('a.study_points').as('points')])
    .where('other.course_id', '=', courseId)
    .where((eb) => eb.or([eb('other.run_id', '!=', runId), eb('other.run_id', 'is', null)]))
    .where('other.user_id', 'in', (eb) => eb.selectFrom('enrolments').select('user_id').where('run_id', '=', runId))
    .groupBy('other.user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.points ?? 0)]));
}

const ATTENDANCE_COLUMNS = [
  'enrolment_id',
  'meeting_id',
  'present',
  'reported_absent_at',
  'study_points',
  'points_override_by',
  'points_override_at',
  'recorded_by',
  'recorded_at',
] as const satisfies readonly (keyof AttendanceTable)[];
const ATTENDANCE_UPSERT = `on conflict ("enrolment_id", "meeting_id") do update set ${(
  ['present', 'study_points', 'points_override_by', 'points_override_at', 'recorded_by', 'recorded_at'] as const
)
  .map((c) => `"${c}" = excluded."${c}"`)
  .join(', ')}`;

/** Inserts or replaces attendance records, in batches. */
export async function upsertAttendance(db: Db, rows: readonly Insertable<AttendanceTable>[]): Promise<void> {
  await insertRows(db, 'attendance', ATTENDANCE_COLUMNS, rows, ATTENDANCE_UPSERT);
}

/**
 * Writes whole enrolment rows whose `version` is one more than the stored one. Returns how many
 * were written: fewer than given means someone else changed one in between (R11).
 */
export async function updateEnrolmentsIfUnchanged(db: Db, rows: readonly EnrolmentRow[]): Promise<number> {
  return insertRows(db, 'enrolments', ENROLMENT_COLUMNS, rows, ENROLMENT_UPDATE);
}

/** Inserts new enrolments in as few statements as the databases allow. */
export async function insertEnrolments(db: Db, rows: readonly Insertable<EnrolmentsTable>[]): Promise<void> {
  await insertRows(db, 'enrolments', ENROLMENT_COLUMNS, rows);
}

/** The enrolment columns a bulk insert or versioned update writes. */
export const ENROLMENT_COLUMNS = [
  'id',
  'user_id',
  'course_id',
  'run_id',
  'programme_id',
  'status',
  'status_changed_at',
  'enrolled_at',
  'term_ends_on',
  'withdrawn_on',
  'force_majeure_note',
  'force_majeure_file',
  'effort',
  'effort_comment',
  'version',
  'updated_at',
] as const satisfies readonly (keyof EnrolmentsTable)[];
/** Only a row still at the version before this one is overwritten (R11); the rest are not counted. */
const ENROLMENT_UPDATE = `on conflict ("id") do update set ${(
  ['status', 'status_changed_at', 'withdrawn_on', 'force_majeure_note', 'force_majeure_file', 'effort', 'effort_comment', 'version', 'updated_at'] as const
)
  .map((c) => `"${c}" = excluded."${c}"`)
  .join(', ')} where "enrolments"."version" = excluded."version" - 1`;
