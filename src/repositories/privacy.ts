import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { Role } from '../db/schema.ts';
import { COURSE_AND_RUN } from './participant.ts';

/*
 * The queries behind the personal-data export, the anonymisation of a departed person and the
 * administrators' user search. Every query is bound to one user id or one escaped search pattern.
 */

/** The profile row of a user (never the password hash), or undefined. */
export async function getProfile(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale', 'created_at', 'anonymised_at', 'deactivated_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function listRoles(db: Db, userId: string) {
  const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

/** Every enrolment of a user with its course and run, in enrolment order. */
export async function listEnrolmentsForExport(db: Db, userId: string) {
  return db
    .selectFrom('enrolments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .leftJoin('runs as r', 'r.id', 'e.run_id')
    .leftJoin('programmes as p', 'p.id', 'e.programme_id')
    .select([
      'e.id',
      'e.status',
      'e.status_changed_at',
      'e.enrolled_at',
      'e.term_ends_on',
      'e.withdrawn_on',
      'e.force_majeure_note',
      'e.force_majeure_file',
      'e.effort',
      'e.effort_comment',
      'e.updated_at',
      ...COURSE_AND_RUN,
      'p.title as programme_title',
    ])
    .where('e.user_id', '=', userId)
    .orderBy('e.enrolled_at')
    .orderBy('e.id')
    .execute();
}

/** Every attendance record of a user's enrolments, with its meeting, in time order. */
export async function listAttendanceForExport(db: Db, userId: string) {
  return db
    .selectFrom('attendance as a')
    .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .select([
      'a.enrolment_id',
      'm.starts_at',
      'm.ends_at',
      'm.place',
      'a.present',
      'a.reported_absent_at',
      'a.study_points',
      'a.points_override_at',
      'a.recorded_at',
    ])
    .where('e.user_id', '=', userId)
    .orderBy('m.starts_at')
    .orderBy('a.enrolment_id')
    .execute();
}

export async function listCertificatesForExport(db: Db, userId: string) {
  return db
    .selectFrom('certificates as ce')
    .innerJoin('courses as c', 'c.id', 'ce.course_id')
    .select([
      'ce.number',
      'ce.verification_code',
      'ce.enrolment_id',
      'c.title as course_title',
      'ce.study_points',
      'ce.completed_on',
      'ce.issued_at',
      'ce.revoked_at',
    ])
    .where('ce.user_id', '=', userId)
    .orderBy('ce.issued_at')
    .orderBy('ce.id')
    .execute();
}

/** The history rows about a user (R9), oldest first. Who else acted is reduced to "self or not". */
export async function listHistoryForExport(db: Db, userId: string) {
  return db
    .selectFrom('history as h')
    .leftJoin('meetings as m', 'm.id', 'h.meeting_id')
    .select(['h.at', 'h.source', 'h.field', 'h.old_value', 'h.new_value', 'h.note', 'h.enrolment_id', 'h.actor_id', 'm.starts_at as meeting_starts_at'])
    .where('h.user_id', '=', userId)
    .orderBy('h.id')
    .execute();
}

export async function listSessionsForExport(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** Sign-in attempts made with this e-mail address (the client addresses are left out). */
export async function listLoginAttemptsForExport(db: Db, email: string) {
  return db.selectFrom('login_attempts').select(['at', 'succeeded']).where('email', '=', email).orderBy('at').execute();
}

/** The runs a user teaches. */
export async function listTaughtRunsForExport(db: Db, userId: string) {
  return db
    .selectFrom('run_teachers as t')
    .innerJoin('runs as r', 'r.id', 't.run_id')
    .innerJoin('courses as c', 'c.id', 'r.course_id')
    .select(['r.code', 'c.title as course_title', 'r.starts_on', 'r.ends_on', 'r.place'])
    .where('t.user_id', '=', userId)
    .orderBy('r.starts_on')
    .orderBy('r.id')
    .execute();
}

/** Counts that must not change when a person is anonymised: enrolments, valid certificates, points. */
export async function getUserRecordTotals(db: Db, userId: string) {
  const [enrolments, certificates, points] = await Promise.all([
    db.selectFrom('enrolments').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow(),
    db
      .selectFrom('certificates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('attendance as a')
      .innerJoin('enrolments as e', 'e.id', 'a.enrolment_id')
      .select((eb) => eb.fn.sum<number>('a.study_points').as('n'))
      .where('e.user_id', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  return { enrolments: Number(enrolments.n), certificates: Number(certificates.n), points: Number(points.n ?? 0) };
}

/** Replaces a user's identifying fields and marks them anonymised. */
export async function anonymiseUserRow(db: Db, userId: string, values: { name: string; email: string; at: string }): Promise<void> {
  await db
    .updateTable('users')
    .set({ name: values.name, email: values.email, password_hash: null, locale: null, anonymised_at: values.at })
    .where('id', '=', userId)
    .execute();
}

export async function deleteLoginAttemptsFor(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('email', '=', email).execute();
}

/** The proof-file keys a user's enrolments point to. */
export async function listProofFileKeys(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('enrolments')
    .select('force_majeure_file')
    .where('user_id', '=', userId)
    .where('force_majeure_file', 'is not', null)
    .execute();
  return rows.map((r) => r.force_majeure_file!);
}

/** The exemption-evidence keys a user's enrolments point to. */
export async function listExemptionFileKeys(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('enrolments').select('exemption_file').where('user_id', '=', userId).where('exemption_file', 'is not', null).execute();
  return rows.map((r) => r.exemption_file!);
}

/**
 * Clears the free text on a user's enrolments (effort comment, force-majeure note and file, exemption
 * evidence file) and
 * raises their versions, so a participants page loaded before cannot write the text back (R11).
 */
export async function clearEnrolmentFreeText(db: Db, userId: string, at: string): Promise<number> {
  const result = await db
    .updateTable('enrolments')
    .set((eb) => ({
      effort_comment: null,
      force_majeure_note: null,
      force_majeure_file: null,
      exemption_file: null,
      version: eb('version', '+', 1),
      updated_at: at,
    }))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** History rows about a user that can carry free text: effort (rating and comment) and force-majeure notes. */
export async function listFreeTextHistory(db: Db, userId: string) {
  return db
    .selectFrom('history')
    .select(['id', 'field', 'old_value', 'new_value', 'note'])
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('field', '=', 'effort'), eb.and([eb('field', '=', 'withdrawal'), eb('note', '=', 'force_majeure_note')])]))
    .execute();
}

/** Rewrites the values of one history row: used only to erase free text when a person is anonymised. */
export async function redactHistoryValues(db: Db, id: string, values: { old_value: string | null; new_value: string | null }): Promise<void> {
  // Effort and withdrawal rows: never the system's (which go to history_system).
  await db.updateTable('history_main').set(values).where('id', '=', id).execute();
}

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * One page of users whose name or e-mail address contains `query` (any case), by name. The search
 * text is bound as a parameter and its wildcards are escaped, so it only ever matches literally.
 */
export async function searchUsers(db: Db, options: { query: string; limit: number; offset: number }) {
  let q = db.selectFrom('users').select(['id', 'name', 'email', 'created_at', 'anonymised_at', 'deactivated_at']);
  const text = options.query.trim().toLowerCase();
  if (text !== '') {
    const pattern = `%${escapeLike(text)}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref('name')}) like ${pattern} escape '\\'`,
        sql<boolean>`lower(${eb.ref('email')}) like ${pattern} escape '\\'`,
      ]),
    );
  }
  return q.orderBy('name').orderBy('id').limit(options.limit).offset(options.offset).execute();
}

/** The roles of several users at once. */
export async function listRolesOf(db: Db, userIds: readonly string[]) {
  if (userIds.length === 0) return new Map<string, Role[]>();
  const rows = await db.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', [...userIds]).orderBy('role').execute();
  const byUser = new Map<string, Role[]>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role]);
  return byUser;
}
