import type { Db } from '../db/index.ts';
import { nowIso } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import {
  getProfile,
  listAttendanceForExport,
  listCertificatesForExport,
  listEnrolmentsForExport,
  listHistoryForExport,
  listLoginAttemptsForExport,
  listRoles,
  listSessionsForExport,
  listTaughtRunsForExport,
} from '../repositories/privacy.ts';
import { getFeedCreatedAt } from '../repositories/calendar-feeds.ts';
import type { Actor } from './actor.ts';
import { sessionKey } from './auth.ts';

/** Names the layout of the export, so a reader (or a later version) knows what it holds. */
export const PERSONAL_DATA_FORMAT = 'presentia-personal-data/1';

const roundPoints = (n: number) => Math.round(Number(n) * 100) / 100;

/**
 * Everything Presentia holds about the signed-in person, for them to download (right of access
 * and portability): profile (never the password hash), roles, enrolments with status, effort,
 * withdrawal and proof note, attendance, certificates, the history rows about them, their sessions'
 * times, their sign-in attempts and when their calendar feed address was made. Nothing about anyone else: who else changed their history is
 * given only as the channel (source) and whether it was themselves.
 */
export async function exportPersonalData(db: Db, actor: Actor, options: { sessionToken?: string; now?: Date } = {}) {
  const profile = await getProfile(db, actor.id);
  if (!profile) throw new NotFoundOrNoAccess();
  const [roles, enrolments, attendance, certificates, history, sessions, loginAttempts, teaching, calendarFeedCreatedAt] = await Promise.all([
    listRoles(db, actor.id),
    listEnrolmentsForExport(db, actor.id),
    listAttendanceForExport(db, actor.id),
    listCertificatesForExport(db, actor.id),
    listHistoryForExport(db, actor.id),
    listSessionsForExport(db, actor.id),
    listLoginAttemptsForExport(db, profile.email),
    listTaughtRunsForExport(db, actor.id),
    getFeedCreatedAt(db, actor.id),
  ]);
  const currentSession = options.sessionToken ? sessionKey(options.sessionToken) : undefined;

  const attendanceOf = new Map<string, typeof attendance>();
  for (const a of attendance) attendanceOf.set(a.enrolment_id, [...(attendanceOf.get(a.enrolment_id) ?? []), a]);

  return {
    format: PERSONAL_DATA_FORMAT,
    exportedAt: nowIso(options.now),
    profile: {
      id: profile.id,
      name: profile.name,
      email: profile.email,
      locale: profile.locale,
      createdAt: profile.created_at,
      anonymisedAt: profile.anonymised_at,
    },
    roles,
    enrolments: enrolments.map((e) => {
      const records = attendanceOf.get(e.id) ?? [];
      return {
        id: e.id,
        course: { code: e.course_code, title: e.course_title, kind: e.course_kind, maxStudyPoints: roundPoints(e.max_study_points) },
        run: e.run_code === null ? null : { code: e.run_code, startsOn: e.run_starts_on, endsOn: e.run_ends_on, place: e.run_place },
        programme: e.programme_title,
        status: e.status,
        statusChangedAt: e.status_changed_at,
        enrolledAt: e.enrolled_at,
        studyTermEndsOn: e.term_ends_on,
        effort: e.effort,
        effortComment: e.effort_comment,
        withdrawnOn: e.withdrawn_on,
        forceMajeureNote: e.force_majeure_note,
        forceMajeureFileKept: e.force_majeure_file !== null,
        studyPoints: roundPoints(records.reduce((sum, a) => sum + Number(a.study_points), 0)),
        attendance: records.map((a) => ({
          meetingStartsAt: a.starts_at,
          meetingEndsAt: a.ends_at,
          place: a.place,
          present: a.present === null ? null : a.present === 1,
          reportedAbsentAt: a.reported_absent_at,
          studyPoints: roundPoints(a.study_points),
          maximumIgnoredAt: a.points_override_at,
          recordedAt: a.recorded_at,
        })),
      };
    }),
    certificates: certificates.map((c) => ({
      number: c.number,
      verificationCode: c.verification_code,
      enrolmentId: c.enrolment_id,
      course: c.course_title,
      studyPoints: roundPoints(c.study_points),
      completedOn: c.completed_on,
      issuedAt: c.issued_at,
      revokedAt: c.revoked_at,
    })),
    history: history.map((h) => ({
      at: h.at,
      source: h.source,
      bySelf: h.actor_id === actor.id,
      field: h.field,
      enrolmentId: h.enrolment_id,
      meetingStartsAt: h.meeting_starts_at,
      oldValue: h.old_value,
      newValue: h.new_value,
      note: h.note,
    })),
    teaching: teaching.map((r) => ({ run: r.code, course: r.course_title, startsOn: r.starts_on, endsOn: r.ends_on, place: r.place })),
    sessions: sessions.map((s) => ({
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      expiresAt: s.expires_at,
      current: s.id === currentSession,
    })),
    loginAttempts: loginAttempts.map((a) => ({ at: a.at, succeeded: a.succeeded === 1 })),
    // Only when the address was made: the address itself is not kept (only its hash, which is no one's business).
    calendarFeed: calendarFeedCreatedAt ? { createdAt: calendarFeedCreatedAt } : null,
  };
}

export type PersonalData = Awaited<ReturnType<typeof exportPersonalData>>;
