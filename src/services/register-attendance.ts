import type { Insertable } from 'kysely';
import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import type { AttendanceTable, CertificatesTable, EffortRating, StatusCode } from '../db/schema.ts';
import { isAttendanceChange, isOverwrite, type AttendanceRecord } from '../domain/attendance.ts';
import { certificateNumber, verificationCode } from '../domain/certificate.ts';
import { brusselsDate } from '../domain/dates.ts';
import { proofRefusals, type ProofRefusal } from '../domain/proof.ts';
import { creditPoints, roundPoints } from '../domain/study-points.ts';
import { ADMIN_ONLY_STATUSES, INACTIVE_STATUSES, canChangeStatus, canSetStatus } from '../domain/study-status.ts';
import { validWithdrawalNeedsProof } from '../domain/withdrawal.ts';
import { AppError } from '../errors.ts';
import { insertCertificates, revokeCertificates } from '../repositories/certificates.ts';
import {
  creditedElsewhere,
  listRunAttendance,
  listRunEnrolments,
  lockRunEnrolments,
  updateEnrolmentsIfUnchanged,
  upsertAttendance,
  type AttendanceRow,
  type EnrolmentRow,
  type RunEnrolment,
} from '../repositories/enrolments.ts';
import { appendHistory, type HistoryEntry } from '../repositories/history.ts';
import { listProofFilesByKey } from '../repositories/proof-files.ts';
import { listMeetings, type MeetingRow } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';
import { loadManagedRun } from './run-access.ts';

/** What the teacher entered for one participant. */
export interface RowInput {
  enrolmentId: string;
  /** The enrolment's version when the page was loaded (R11). */
  version: number;
  present: boolean;
  /** The chosen status, or null for "no change". */
  status: StatusCode | null;
  effort: EffortRating | null;
  effortComment: string;
  /** A note that proof of force majeure was seen (R4). */
  proofNote: string;
  /** A stored proof file's key, when one was uploaded with this save (R4). */
  proofFile: string | null;
}

/** One press of **Doorgaan**. */
export interface RegistrationInput {
  runId: string;
  meetingIds: readonly string[];
  allMeetings: boolean;
  ignoreMaximum: boolean;
  confirmEarlyCompletion: boolean;
  confirmOverwrites: boolean;
  rows: readonly RowInput[];
}

export interface RegistrationSummary {
  participants: number;
  meetings: number;
  attendanceChanged: number;
  statusesChanged: number;
  certificatesIssued: number;
  certificatesRevoked: number;
  pointsCredited: number;
  effortChanged: number;
}

export interface Overwrite {
  enrolmentId: string;
  name: string;
  meetingId: string;
  meetingStartsAt: string;
  from: 'present' | 'absent' | 'reported_absent';
  to: 'present' | 'absent';
}

export type RegistrationOutcome =
  | { kind: 'saved'; summary: RegistrationSummary }
  | {
      kind: 'confirm';
      /** Rows set to Voltooid while meetings remain (R2). */
      earlyCompletions: { enrolmentId: string; name: string }[];
      /** Attendance recorded before that this save would change (R7). */
      overwrites: Overwrite[];
    };

/** i18n keys under `registration.errors`. */
export type RowErrorKey =
  | 'unknown_enrolment'
  | 'inactive_enrolment'
  | 'admin_only_status'
  | 'status_not_allowed'
  | 'final_status'
  | 'proof_required'
  | ProofRefusal;
export type FormErrorKey = 'choose_meeting' | 'unknown_meeting' | 'run_cancelled';

/** The save was refused; nothing was written. Each problem is keyed to its row or to the form. */
export class RegistrationRefused extends AppError {
  constructor(
    readonly rowErrors: ReadonlyMap<string, RowErrorKey[]>,
    readonly formErrors: readonly FormErrorKey[],
  ) {
    super('invalid_input', 422, 'registration refused');
  }
}

/** Someone else changed these enrolments since the page was loaded (R11); nothing was written. */
export class RegistrationConflict extends AppError {
  constructor(readonly changed: readonly { enrolmentId: string; name: string }[]) {
    super('conflict', 409, 'registration conflict');
  }
}

type AttendanceState = 'present' | 'absent' | 'reported_absent';

function recordOf(a: AttendanceRow | undefined): AttendanceRecord | undefined {
  return a && { present: a.present === null ? null : a.present === 1, reportedAbsent: !!a.reported_absent_at };
}

function stateOf(record: AttendanceRow | undefined): AttendanceState | null {
  if (!record) return null;
  if (record.present === null) return record.reported_absent_at ? 'reported_absent' : null;
  return record.present === 1 ? 'present' : 'absent';
}

/**
 * Saves attendance, statuses and effort for the participants of one run, applying rules R1–R11
 * in one transaction: all rows or none. Returns what was saved, or the confirmations still needed.
 */
export async function registerAttendance(
  db: Db,
  actor: Actor,
  input: RegistrationInput,
  now: Date = new Date(),
): Promise<RegistrationOutcome> {
  const at = nowIso(now);
  const today = brusselsDate(now);

  const outcome = await (db.isTransaction ? run(db) : db.transaction().execute(run));
  return outcome;

  async function run(trx: Db): Promise<RegistrationOutcome> {
    // 1. Access (R1): the actor teaches this run, or administers.
    const runRow = await loadManagedRun(trx, actor, input.runId);
    const runId = runRow.id;
    // 2. Load everything the rules need, set-based, after taking the run's enrolment rows: a
    // concurrent save on this run waits here until the first commits, then sees its versions.
    await lockRunEnrolments(trx, runId);
    const [meetings, enrolments, attendance] = await Promise.all([
      listMeetings(trx, runId),
      listRunEnrolments(trx, runId),
      listRunAttendance(trx, runId),
    ]);
    const elsewhere = await creditedElsewhere(trx, runId, runRow.course_id);
    const storedProofs = await listProofFilesByKey(trx, input.rows.flatMap((r) => (r.proofFile ? [r.proofFile] : [])));

    const enrolmentById = new Map(enrolments.map((e) => [e.id, e]));
    const attendanceByKey = new Map(attendance.map((a) => [`${a.enrolment_id}|${a.meeting_id}`, a]));
    const rows = dedupe(input.rows);

    // 3. R11 first: a stale page must not be judged on data the teacher never saw.
    const changed = rows
      .map((r) => ({ r, e: enrolmentById.get(r.enrolmentId) }))
      .filter(({ r, e }) => e && e.version !== r.version)
      .map(({ e }) => ({ enrolmentId: e!.id, name: e!.user_name }));
    if (changed.length > 0) throw new RegistrationConflict(changed);

    // 4. Rules that refuse the save (R1, R4, R7), all collected so every row shows its problem.
    const formErrors: FormErrorKey[] = [];
    const rowErrors = new Map<string, RowErrorKey[]>();
    const refuse = (id: string, key: RowErrorKey) => rowErrors.set(id, [...(rowErrors.get(id) ?? []), key]);

    if (runRow.cancelled_at) formErrors.push('run_cancelled');
    const meetingById = new Map(meetings.map((m) => [m.id, m]));
    if (input.meetingIds.some((id) => !meetingById.has(id))) formErrors.push('unknown_meeting');
    const chosen: MeetingRow[] = input.allMeetings ? meetings : meetings.filter((m) => input.meetingIds.includes(m.id));
    if (chosen.length === 0 && rows.some((r) => r.present)) formErrors.push('choose_meeting');

    for (const row of rows) {
      const e = enrolmentById.get(row.enrolmentId);
      if (!e) {
        refuse(row.enrolmentId, 'unknown_enrolment');
        continue;
      }
      if (INACTIVE_STATUSES.has(e.status)) {
        if (hasChanges(row, e, chosen.length > 0)) refuse(e.id, 'inactive_enrolment');
        continue;
      }
      const target = row.status !== null && row.status !== e.status ? row.status : null;
      if (target) {
        if (!canSetStatus(actor.roles, target)) {
          refuse(e.id, ADMIN_ONLY_STATUSES.has(target) ? 'admin_only_status' : 'status_not_allowed');
        } else if (!canChangeStatus(actor.roles, e.status, target)) {
          refuse(e.id, 'final_status');
        }
        if (target === 'withdrawn_valid') {
          const withdrawnOn = e.withdrawn_on ?? today;
          const hasProof = !!(row.proofNote.trim() || row.proofFile || e.force_majeure_note || e.force_majeure_file);
          if (validWithdrawalNeedsProof(withdrawnOn, runRow.starts_on) && !hasProof) refuse(e.id, 'proof_required');
        }
      }
    }
    // R4: a proof names a file stored for this enrolment, or is a note of at least a sentence.
    for (const [id, keys] of proofRefusals(rows, storedProofs)) for (const key of keys) refuse(id, key);
    if (formErrors.length > 0 || rowErrors.size > 0) throw new RegistrationRefused(rowErrors, formErrors);

    const active = rows
      .map((r) => ({ input: r, enrolment: enrolmentById.get(r.enrolmentId)! }))
      .filter(({ enrolment }) => !INACTIVE_STATUSES.has(enrolment.status));

    // 5. Confirmations (R2, R7): listed before anything is written.
    const lastChosenStart = chosen.reduce<string | null>((max, m) => (max && max > m.starts_at ? max : m.starts_at), null);
    const meetingsRemain = meetings.some((m) => m.starts_at > (lastChosenStart ?? at));
    const earlyCompletions = meetingsRemain
      ? active
          .filter(({ input: r, enrolment: e }) => r.status === 'completed' && e.status !== 'completed')
          .map(({ enrolment: e }) => ({ enrolmentId: e.id, name: e.user_name }))
      : [];
    const overwrites: Overwrite[] = [];
    for (const { input: r, enrolment: e } of active) {
      for (const m of chosen) {
        const existing = attendanceByKey.get(`${e.id}|${m.id}`);
        const state = stateOf(existing);
        if (state && isOverwrite(recordOf(existing), r.present)) {
          overwrites.push({ enrolmentId: e.id, name: e.user_name, meetingId: m.id, meetingStartsAt: m.starts_at, from: state, to: r.present ? 'present' : 'absent' });
        }
      }
    }
    const needsEarly = earlyCompletions.length > 0 && !input.confirmEarlyCompletion;
    const needsOverwrite = overwrites.length > 0 && !input.confirmOverwrites;
    if (needsEarly || needsOverwrite) {
      return { kind: 'confirm', earlyCompletions: needsEarly ? earlyCompletions : [], overwrites: needsOverwrite ? overwrites : [] };
    }

    // 6. Work out every write.
    const plan = planWrites({ actor, at, today, active, chosen, meetings, attendanceByKey, elsewhere, runRow, ignoreMaximum: input.ignoreMaximum });

    // 7. Write, set-based: attendance, enrolments (guarded by version), certificates, history.
    await upsertAttendance(trx, plan.attendance);
    const written = await updateEnrolmentsIfUnchanged(trx, plan.enrolments);
    if (written !== plan.enrolments.length) {
      const stale = plan.enrolments.map((e) => ({ enrolmentId: e.id, name: enrolmentById.get(e.id)!.user_name }));
      throw new RegistrationConflict(stale);
    }
    const revoked = await revokeCertificates(trx, plan.revokeFor, at);
    await insertCertificates(trx, plan.certificates);
    for (const [enrolmentId, number] of revoked) {
      const e = enrolmentById.get(enrolmentId)!;
      plan.history.push(historyRow(actor, at, e, runId, 'certificate', number, null, 'revoked'));
    }
    await appendHistory(trx, plan.history);

    return {
      kind: 'saved',
      summary: {
        participants: chosen.length > 0 ? active.length : 0,
        meetings: chosen.length,
        attendanceChanged: plan.attendance.length,
        statusesChanged: plan.statusesChanged,
        certificatesIssued: plan.certificates.length,
        certificatesRevoked: revoked.size,
        pointsCredited: plan.pointsCredited,
        effortChanged: plan.effortChanged,
      },
    };
  }
}

/** Keeps the last row per enrolment, so a doubled form field cannot write a row twice. */
function dedupe(rows: readonly RowInput[]): RowInput[] {
  return [...new Map(rows.map((r) => [r.enrolmentId, r])).values()];
}

function hasChanges(row: RowInput, e: RunEnrolment, attendanceChosen: boolean): boolean {
  return (
    (row.status !== null && row.status !== e.status) ||
    (attendanceChosen && row.present) ||
    row.effort !== e.effort ||
    row.effortComment.trim() !== (e.effort_comment ?? '')
  );
}

function historyRow(
  actor: Actor,
  at: string,
  e: RunEnrolment,
  runId: string,
  field: HistoryEntry['field'],
  oldValue: string | null,
  newValue: string | null,
  note: string | null = null,
  meetingId: string | null = null,
): HistoryEntry {
  return {
    id: newId(),
    at,
    actor_id: actor.id,
    source: actor.source,
    user_id: e.user_id,
    enrolment_id: e.id,
    run_id: runId,
    meeting_id: meetingId,
    field,
    old_value: oldValue,
    new_value: newValue,
    note,
  };
}

interface PlanContext {
  actor: Actor;
  at: string;
  today: string;
  active: { input: RowInput; enrolment: RunEnrolment }[];
  chosen: readonly MeetingRow[];
  meetings: readonly MeetingRow[];
  attendanceByKey: ReadonlyMap<string, AttendanceRow>;
  elsewhere: ReadonlyMap<string, number>;
  runRow: { id: string; course_id: string; max_study_points: number };
  ignoreMaximum: boolean;
}

/** The rows to write for a valid save (pure: no IO). */
function planWrites(ctx: PlanContext) {
  const { actor, at, today, runRow } = ctx;
  const attendanceRows: Insertable<AttendanceTable>[] = [];
  const enrolmentRows: EnrolmentRow[] = [];
  const certificates: Insertable<CertificatesTable>[] = [];
  const revokeFor: string[] = [];
  const history: HistoryEntry[] = [];
  let statusesChanged = 0;
  let effortChanged = 0;
  let pointsCredited = 0;
  const chosenIds = new Set(ctx.chosen.map((m) => m.id));

  for (const { input: r, enrolment: e } of ctx.active) {
    let touched = false;

    // Attendance and points (R5, R7): only changed records are written; points of the run's other
    // records stay as they are and count towards the maximum.
    const changedMeetings = ctx.meetings.filter((m) => {
      if (!chosenIds.has(m.id)) return false;
      const existing = ctx.attendanceByKey.get(`${e.id}|${m.id}`);
      return isAttendanceChange(recordOf(existing), r.present);
    });
    let runTotal = 0;
    for (const m of ctx.meetings) {
      if (!changedMeetings.includes(m)) runTotal += ctx.attendanceByKey.get(`${e.id}|${m.id}`)?.study_points ?? 0;
    }
    const held = roundPoints((ctx.elsewhere.get(e.user_id) ?? 0) + runTotal);
    const credits = creditPoints(
      held,
      ctx.runRow.max_study_points,
      changedMeetings.map((m) => ({ meetingPoints: m.study_points, present: r.present })),
      ctx.ignoreMaximum,
    );
    let finalTotal = held;
    changedMeetings.forEach((m, i) => {
      const existing = ctx.attendanceByKey.get(`${e.id}|${m.id}`);
      const credit = credits[i]!;
      attendanceRows.push({
        enrolment_id: e.id,
        meeting_id: m.id,
        present: r.present ? 1 : 0,
        reported_absent_at: existing?.reported_absent_at ?? null,
        study_points: credit.points,
        points_override_by: credit.overridden ? actor.id : null,
        points_override_at: credit.overridden ? at : null,
        recorded_by: actor.id,
        recorded_at: at,
      });
      history.push(historyRow(actor, at, e, runRow.id, 'attendance', stateOf(existing), r.present ? 'present' : 'absent', null, m.id));
      const before = existing?.study_points ?? 0;
      if (before !== credit.points) {
        history.push(
          historyRow(actor, at, e, runRow.id, 'points', String(before), String(credit.points), credit.overridden ? 'max_ignored' : null, m.id),
        );
        pointsCredited = roundPoints(pointsCredited + credit.points - before);
      }
      finalTotal = roundPoints(finalTotal + credit.points);
      touched = true;
    });

    const next: EnrolmentRow = { ...pickEnrolment(e) };

    // Status (R1–R4) and certificate (R3).
    if (r.status !== null && r.status !== e.status) {
      next.status = r.status;
      next.status_changed_at = at;
      history.push(historyRow(actor, at, e, runRow.id, 'status', e.status, r.status));
      statusesChanged += 1;
      if (r.status === 'withdrawn_valid' || r.status === 'withdrawn_invalid') {
        if (!e.withdrawn_on) {
          next.withdrawn_on = today;
          history.push(historyRow(actor, at, e, runRow.id, 'withdrawal', null, today));
        }
      }
      if (r.status === 'completed') {
        const number = certificateNumber(today);
        certificates.push({
          id: newId(),
          number,
          verification_code: verificationCode(),
          enrolment_id: e.id,
          user_id: e.user_id,
          course_id: runRow.course_id,
          study_points: finalTotal,
          completed_on: today,
          issued_at: at,
          revoked_at: null,
        });
        history.push(historyRow(actor, at, e, runRow.id, 'certificate', null, number, 'issued'));
      } else if (e.status === 'completed') {
        revokeFor.push(e.id);
      }
      touched = true;
    }
    const proofNote = r.proofNote.trim();
    if (proofNote && proofNote !== e.force_majeure_note) {
      next.force_majeure_note = proofNote;
      history.push(historyRow(actor, at, e, runRow.id, 'withdrawal', e.force_majeure_note, proofNote, 'force_majeure_note'));
      touched = true;
    }
    if (r.proofFile) {
      next.force_majeure_file = r.proofFile;
      history.push(historyRow(actor, at, e, runRow.id, 'withdrawal', e.force_majeure_file, r.proofFile, 'force_majeure_file'));
      touched = true;
    }

    // Effort (R6).
    const comment = r.effortComment.trim() || null;
    if (r.effort !== e.effort || comment !== e.effort_comment) {
      next.effort = r.effort;
      next.effort_comment = comment;
      history.push(
        historyRow(actor, at, e, runRow.id, 'effort', formatEffort(e.effort, e.effort_comment), formatEffort(r.effort, comment)),
      );
      effortChanged += 1;
      touched = true;
    }

    if (touched) {
      next.version = e.version + 1;
      next.updated_at = at;
      enrolmentRows.push(next);
    }
  }

  return {
    attendance: attendanceRows,
    enrolments: enrolmentRows,
    certificates,
    revokeFor,
    history,
    statusesChanged,
    effortChanged,
    pointsCredited,
  };
}

function formatEffort(effort: EffortRating | null, comment: string | null): string | null {
  if (!effort && !comment) return null;
  return comment ? `${effort ?? ''}: ${comment}` : effort;
}

function pickEnrolment(e: RunEnrolment): EnrolmentRow {
  const { user_name: _name, user_email: _email, ...row } = e;
  return row;
}
