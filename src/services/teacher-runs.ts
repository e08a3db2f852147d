import type { Db } from '../db/index.ts';
import type { EffortRating, StatusCode } from '../db/schema.ts';
import { attendanceRate } from '../domain/attendance.ts';
import { brusselsDate } from '../domain/dates.ts';
import { roundPoints } from '../domain/study-points.ts';
import { INACTIVE_STATUSES, isStatusCode } from '../domain/study-status.ts';
import { cellFingerprint, effortFingerprint, encodeSeen } from '../domain/registration/seen.ts';
import { correctionNeedsReason, correctionTargets } from '../domain/registration/status-rule.ts';
import { listLastStatusChanges } from '../repositories/history.ts';
import { proposeWithdrawnStatus } from '../domain/withdrawal.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { listValidCertificates } from '../repositories/certificates.ts';
import { listRunAttendance, listRunParticipants } from '../repositories/enrolments.ts';
import { listMeetingsAndTeacherNames, listRunsTaughtBy } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';
import { loadManagedRun } from './run-access.ts';

/**
 * The runs the actor teaches for **Mijn te geven opleidingen**: upcoming and running first (soonest
 * first), then past ones (most recent first).
 */
export async function listMyRuns(db: Db, actor: Actor, now: Date = new Date()) {
  if (!actor.roles.includes('teacher')) throw new NotFoundOrNoAccess();
  const today = brusselsDate(now);
  const runs = (await listRunsTaughtBy(db, actor.id)).map((r) => ({ ...r, participants: Number(r.participants) }));
  const current = runs.filter((r) => r.ends_on >= today);
  const past = runs.filter((r) => r.ends_on < today).reverse();
  return { current, past };
}

export type AttendanceCell = 'present' | 'absent' | 'reported_absent' | null;

export interface ParticipantRow {
  enrolmentId: string;
  userId: string;
  name: string;
  email: string;
  status: StatusCode;
  version: number;
  effort: EffortRating | null;
  effortComment: string | null;
  /** Attendance per meeting, in the order of `meetings`. */
  attendance: AttendanceCell[];
  points: number;
  /** Meetings attended over meetings held so far; null before the first meeting. */
  rate: number | null;
  withdrawnOn: string | null;
  /** R4: the withdrawn status the system proposes, when it knows a withdrawal date. */
  proposedStatus: StatusCode | null;
  hasProof: boolean;
  certificateNumber: string | null;
  /** What the page shows of the row, as a fingerprint per value, carried back by the save (R11). */
  seen: string;
  /** For a status no longer active: what the viewer may correct it to (R1); null when they may not. */
  correction: { targets: StatusCode[]; previous: StatusCode | null; needsReason: boolean } | null;
  /** Absences the participant reported in advance: the meeting's number (from 1) and the reason given. */
  absenceReports?: { meeting: number; reason: string }[];
}

/**
 * Everything the participants page shows for one run: meetings, and per participant what is already
 * recorded. Participants who no longer take part come apart, after the others.
 */
export async function getParticipantsView(db: Db, actor: Actor, runId: string, now: Date = new Date()) {
  const run = await loadManagedRun(db, actor, runId);
  const nowIsoString = now.toISOString();
  const [{ meetings, teachers }, enrolments, attendance] = await Promise.all([
    listMeetingsAndTeacherNames(db, run.id),
    listRunParticipants(db, run.id),
    listRunAttendance(db, run.id),
  ]);
  const certificates = await listValidCertificates(
    db,
    enrolments.filter((e) => e.status === 'completed').map((e) => e.id),
  );
  const certificateByEnrolment = new Map(certificates.map((c) => [c.enrolment_id, c.number]));
  const meetingIndex = new Map(meetings.map((m, i) => [m.id, i]));
  const held = meetings.filter((m) => m.starts_at <= nowIsoString).length;

  const rows = new Map<string, ParticipantRow>(
    enrolments.map((e) => [
      e.id,
      {
        enrolmentId: e.id,
        userId: e.user_id,
        name: e.user_name,
        email: e.user_email,
        status: e.status,
        version: e.version,
        effort: e.effort,
        effortComment: e.effort_comment,
        attendance: meetings.map(() => null),
        points: 0,
        rate: null,
        withdrawnOn: e.withdrawn_on,
        proposedStatus:
          e.withdrawn_on && !INACTIVE_STATUSES.has(e.status) ? proposeWithdrawnStatus(e.withdrawn_on, run.starts_on) : null,
        hasProof: !!(e.force_majeure_note || e.force_majeure_file),
        certificateNumber: certificateByEnrolment.get(e.id) ?? null,
        seen: '',
        correction: null,
        absenceReports: [],
      },
    ]),
  );
  const cells = new Map(enrolments.map((e) => [e.id, meetings.map(() => '-')]));
  const attended = new Map<string, number>();
  for (const a of attendance) {
    const row = rows.get(a.enrolment_id);
    const index = meetingIndex.get(a.meeting_id);
    if (!row || index === undefined) continue;
    row.attendance[index] = a.present === 1 ? 'present' : a.present === 0 ? 'absent' : a.reported_absent_at ? 'reported_absent' : null;
    // An absence reported in advance and not yet registered, with its reason.
    if (a.present === null && a.reported_absent_at !== null) row.absenceReports!.push({ meeting: index + 1, reason: a.absence_reason ?? '' });
    row.points = roundPoints(row.points + a.study_points);
    cells.get(a.enrolment_id)![index] = cellFingerprint(a);
    if (a.present === 1 && meetings[index]!.starts_at <= nowIsoString) attended.set(a.enrolment_id, (attended.get(a.enrolment_id) ?? 0) + 1);
  }
  const all = [...rows.values()];
  for (const row of all) {
    row.rate = attendanceRate(attended.get(row.enrolmentId) ?? 0, held);
    row.seen = encodeSeen(row.status, effortFingerprint(row.effort, row.effortComment), cells.get(row.enrolmentId)!);
    if (row.absenceReports!.length > 1) row.absenceReports!.sort((x, y) => x.meeting - y.meeting);
  }
  // Corrections of statuses no longer active (R1): who set each one decides whether a teacher may.
  const inactive = all.filter((r) => INACTIVE_STATUSES.has(r.status));
  const lastChanges = await listLastStatusChanges(db, inactive.map((r) => r.enrolmentId));
  const today = brusselsDate(now);
  for (const row of inactive) {
    const last = lastChanges.get(row.enrolmentId);
    const lastChange = last && { actorId: last.actorId, from: last.from && isStatusCode(last.from) ? last.from : null };
    const targets = correctionTargets(row.status, { actorId: actor.id, roles: actor.roles, lastChange, runFinished: run.ends_on < today });
    if (targets.length > 0) row.correction = { targets, previous: lastChange?.from ?? null, needsReason: correctionNeedsReason(row.status, actor.roles) };
  }

  return {
    run,
    teachers,
    meetings: meetings.map((m) => ({ ...m, held: m.starts_at <= nowIsoString })),
    active: all.filter((r) => !INACTIVE_STATUSES.has(r.status)),
    inactive,
    /** The meeting ids in page order, against which the rows' `seen` fields are read. */
    seenMeetings: meetings.map((m) => m.id).join(','),
    today,
  };
}

export type ParticipantsView = Awaited<ReturnType<typeof getParticipantsView>>;
