import type { Insertable } from 'kysely';
import { certificateRevocationEntry } from './certificate-revocation.ts';
import type { HistoryTable } from '../db/schema.ts';
import { brusselsDate } from './dates.ts';
import { enrolmentHistoryEntry, meetingsChange, type HistoryChange, type MeetingChange } from './history-entry.ts';
import { roundPoints } from './study-points.ts';
import { chooseMeetings, lastMeetingToCome, overwrites, presenceBeforeStart } from './registration/attendance-rule.ts';
import { certificateChange, certificatePoints } from './registration/certificate-rule.ts';
import { rowIntent, type RowIntent } from './registration/conflict-rule.ts';
import { effortText } from './registration/effort-rule.ts';
import type {
  FormErrorKey,
  Generators,
  Overwrite,
  PlanAttendance,
  PlanEnrolment,
  RegistrationInput,
  RegistrationPlan,
  RegistrationState,
  RegistrationWrites,
  RowErrorKey,
  RowInput,
  StatusCorrection,
  ValueConflict,
} from './registration/model.ts';
import { creditRow } from './registration/points-rule.ts';
import { attendanceStateOf } from './registration/seen.ts';
import { isCorrection, statusRefusal } from './registration/status-rule.ts';
import { WITHDRAWN_STATUSES, hasProof, proofMissing, withdrawalDate, withdrawalDateRefusal } from './registration/withdrawal-rule.ts';
import { proofRefusals } from './proof.ts';

export type * from './registration/model.ts';

/*
 * The save of the participants page (**Doorgaan**), planned: the state loaded for one run and what
 * the teacher entered go in; what comes out is either why nothing may be saved (refusals, R1–R7),
 * the values someone else changed meanwhile (R11), the confirmations still needed (R2, R7, status
 * corrections), or every row to write with its history (R3, R5, R9). Each concern's rule lives in
 * its own module under `registration/`; this function only puts them in order.
 */

interface PlannedRow {
  row: RowInput;
  e: PlanEnrolment;
  intent: RowIntent;
}

/** Keeps the last row per enrolment, so a doubled form field cannot write a row twice. */
function dedupe(rows: readonly RowInput[]): RowInput[] {
  return [...new Map(rows.map((r) => [r.enrolmentId, r])).values()];
}

export function planRegistration(state: RegistrationState, input: RegistrationInput, gen: Generators): RegistrationPlan {
  const { actor, now, run, meetings } = state;
  const today = brusselsDate(now);
  const rows = dedupe(input.rows);
  const enrolmentById = new Map(state.enrolments.map((e) => [e.id, e]));
  const byEnrolment = new Map<string, Map<string, PlanAttendance>>();
  for (const a of state.attendance) {
    let records = byEnrolment.get(a.enrolment_id);
    if (!records) byEnrolment.set(a.enrolment_id, (records = new Map()));
    records.set(a.meeting_id, a);
  }
  const storedFor = (enrolmentId: string) => {
    const records = byEnrolment.get(enrolmentId);
    return (meetingId: string): PlanAttendance | undefined => records?.get(meetingId);
  };
  const { chosen, unknownMeeting } = chooseMeetings(meetings, input, now);

  // 1. R11 first: a stale page must not be judged on values the teacher never saw.
  const planned: PlannedRow[] = [];
  const unknownRows: string[] = [];
  const conflicts: ValueConflict[] = [];
  for (const row of rows) {
    const e = enrolmentById.get(row.enrolmentId);
    if (!e) {
      unknownRows.push(row.enrolmentId);
      continue;
    }
    const result = rowIntent({ row, enrolment: e, chosen: isCorrection(e.status) ? [] : chosen, meetings, stored: storedFor(e.id) });
    conflicts.push(...result.conflicts);
    planned.push({ row, e, intent: result.intent });
  }
  if (conflicts.length > 0) return { kind: 'conflict', conflicts };

  // 2. Refusals (R1, R2, R4, R7), all collected so that every row shows its problem.
  const formErrors: FormErrorKey[] = [];
  const rowErrors = new Map<string, RowErrorKey[]>();
  const refuse = (id: string, key: RowErrorKey) => rowErrors.set(id, [...(rowErrors.get(id) ?? []), key]);
  for (const id of unknownRows) refuse(id, 'unknown_enrolment');
  if (run.cancelled_at) formErrors.push('run_cancelled');
  if (unknownMeeting) formErrors.push('unknown_meeting');
  if (chosen.length === 0 && rows.some((r) => r.present)) formErrors.push('choose_meeting');
  const runFinished = run.ends_on < today;
  for (const { row, e, intent } of planned) {
    if (isCorrection(e.status) && ((chosen.length > 0 && row.present) || intent.effort)) refuse(e.id, 'inactive_enrolment');
    if (intent.status) {
      const refusal = statusRefusal(e.status, intent.status, {
        actorId: actor.id,
        roles: actor.roles,
        lastChange: state.lastStatusChanges.get(e.id),
        runFinished,
        reason: row.reason ?? '',
      });
      if (refusal) refuse(e.id, refusal);
      if (WITHDRAWN_STATUSES.has(intent.status)) {
        const dateRefusal = withdrawalDateRefusal(row.withdrawnOn, e.enrolled_at, today);
        if (dateRefusal) refuse(e.id, dateRefusal);
        else if (proofMissing(intent.status, withdrawalDate(row, e, today), run.starts_on, hasProof(row, e))) refuse(e.id, 'proof_required');
      }
    }
  }
  for (const [id, keys] of proofRefusals(rows, state.storedProofs)) for (const key of keys) refuse(id, key);
  const notStarted = presenceBeforeStart(chosen, (meetingId) => planned.some((p) => p.row.present && p.intent.attendance.some((m) => m.id === meetingId)), now);
  if (formErrors.length > 0 || rowErrors.size > 0 || notStarted.length > 0) return { kind: 'refused', rowErrors, formErrors, notStarted };

  // 3. Confirmations (R2, R7, corrections), listed before anything is written.
  const earlyCompletions = lastMeetingToCome(meetings, now)
    ? planned.filter((p) => p.intent.status === 'completed').map(({ e }) => ({ enrolmentId: e.id, name: e.user_name }))
    : [];
  const overwriteList: Overwrite[] = [];
  const corrections: StatusCorrection[] = [];
  for (const { row, e, intent } of planned) {
    for (const m of intent.attendance) {
      const stored = storedFor(e.id)(m.id);
      const from = attendanceStateOf(stored);
      if (from && overwrites(stored, row.present)) {
        overwriteList.push({ enrolmentId: e.id, name: e.user_name, meetingId: m.id, meetingStartsAt: m.starts_at, from, to: row.present ? 'present' : 'absent' });
      }
    }
    if (intent.status && isCorrection(e.status)) corrections.push({ enrolmentId: e.id, name: e.user_name, from: e.status, to: intent.status });
  }
  const needsEarly = earlyCompletions.length > 0 && !input.confirmEarlyCompletion;
  const needsOverwrite = overwriteList.length + corrections.length > 0 && !input.confirmOverwrites;
  if (needsEarly || needsOverwrite) {
    return {
      kind: 'confirm',
      earlyCompletions: needsEarly ? earlyCompletions : [],
      overwrites: needsOverwrite ? overwriteList : [],
      corrections: needsOverwrite ? corrections : [],
    };
  }

  // 4. The rows to write.
  return planWrites(state, input, planned, chosen.length, today, storedFor, gen);
}

function planWrites(
  state: RegistrationState,
  input: RegistrationInput,
  planned: readonly PlannedRow[],
  chosenCount: number,
  today: string,
  storedFor: (enrolmentId: string) => (meetingId: string) => PlanAttendance | undefined,
  gen: Generators,
): RegistrationPlan {
  const { actor, now: at, run, meetings } = state;
  const writes: RegistrationWrites = { attendance: [], enrolments: [], certificates: [], revokeFor: [], history: [] };
  const summary = {
    participants: 0,
    meetings: chosenCount,
    attendanceChanged: 0,
    statusesChanged: 0,
    certificatesIssued: 0,
    pointsCredited: 0,
    pointsRemoved: 0,
    effortChanged: 0,
    proofsRecorded: 0,
  };
  const record = (e: PlanEnrolment, change: HistoryChange) => writes.history.push(enrolmentHistoryEntry(actor, at, { id: e.id, user_id: e.user_id, run_id: run.id }, change, gen.newId()));
  const history = (e: PlanEnrolment, field: HistoryChange['field'], oldValue: string | null, newValue: string | null, note: string | null = null) =>
    record(e, { field, old_value: oldValue, new_value: newValue, note });

  for (const { row, e, intent } of planned) {
    if (chosenCount > 0 && !isCorrection(e.status)) summary.participants += 1;
    let touched = false;

    // Attendance and points (R5, R7): only changed records are written.
    const stored = storedFor(e.id);
    const { credits, runTotal } = creditRow({
      meetings,
      changed: intent.attendance,
      present: row.present,
      stored,
      elsewhere: state.creditedElsewhere.get(e.user_id) ?? 0,
      maximum: run.max_study_points,
      ignoreMaximum: input.ignoreMaximum,
    });
    const attendanceChanges: MeetingChange[] = [];
    const pointsChanges: MeetingChange[] = [];
    let maximumIgnored = false;
    for (const m of intent.attendance) {
      const existing = stored(m.id);
      const credit = credits.get(m.id)!;
      writes.attendance.push({
        enrolment_id: e.id,
        meeting_id: m.id,
        present: row.present ? 1 : 0,
        reported_absent_at: existing?.reported_absent_at ?? null,
        study_points: credit.points,
        points_override_by: credit.overridden ? actor.id : null,
        points_override_at: credit.overridden ? at : null,
        recorded_by: actor.id,
        recorded_at: at,
      });
      attendanceChanges.push({ meetingId: m.id, startsAt: m.starts_at, oldValue: attendanceStateOf(existing), newValue: row.present ? 'present' : 'absent' });
      const before = existing?.study_points ?? 0;
      if (before !== credit.points) {
        pointsChanges.push({ meetingId: m.id, startsAt: m.starts_at, oldValue: String(before), newValue: String(credit.points) });
        if (credit.overridden) maximumIgnored = true;
        if (credit.points > before) summary.pointsCredited = roundPoints(summary.pointsCredited + credit.points - before);
        else summary.pointsRemoved = roundPoints(summary.pointsRemoved + before - credit.points);
      }
      summary.attendanceChanged += 1;
      touched = true;
    }
    if (attendanceChanges.length > 0) record(e, meetingsChange('attendance', attendanceChanges));
    if (pointsChanges.length > 0) record(e, meetingsChange('points', pointsChanges, maximumIgnored ? 'max_ignored' : null));

    const { user_name: _name, ...next } = e;

    // Status (R1–R4), withdrawal date (R4) and certificate (R3).
    if (intent.status) {
      const target = intent.status;
      next.status = target;
      next.status_changed_at = at;
      history(e, 'status', e.status, target, isCorrection(e.status) ? row.reason?.trim() || null : null);
      summary.statusesChanged += 1;
      const withdrawnOn = WITHDRAWN_STATUSES.has(target) ? withdrawalDate(row, e, today) : WITHDRAWN_STATUSES.has(e.status) ? null : e.withdrawn_on;
      if (withdrawnOn !== e.withdrawn_on) {
        next.withdrawn_on = withdrawnOn;
        history(e, 'withdrawal', e.withdrawn_on, withdrawnOn);
      }
      const change = certificateChange(e.status, target);
      if (change === 'issue') {
        const number = gen.certificateNumber(today);
        writes.certificates.push({
          id: gen.newId(),
          number,
          verification_code: gen.verificationCode(),
          enrolment_id: e.id,
          user_id: e.user_id,
          course_id: run.course_id,
          study_points: certificatePoints(runTotal, run.max_study_points),
          completed_on: today,
          issued_at: at,
          revoked_at: null,
        });
        history(e, 'certificate', null, number, 'issued');
        summary.certificatesIssued += 1;
      } else if (change === 'revoke') {
        writes.revokeFor.push(e.id);
      }
      touched = true;
    }

    // Proof of force majeure (R4), as entered: a note, or the key of a file stored with this save.
    const proofNote = row.proofNote.trim();
    let proof = false;
    if (proofNote && proofNote !== e.force_majeure_note) {
      next.force_majeure_note = proofNote;
      history(e, 'withdrawal', e.force_majeure_note, proofNote, 'force_majeure_note');
      proof = true;
    }
    if (row.proofFile) {
      next.force_majeure_file = row.proofFile;
      history(e, 'withdrawal', e.force_majeure_file, row.proofFile, 'force_majeure_file');
      proof = true;
    }
    if (proof) {
      summary.proofsRecorded += 1;
      touched = true;
    }

    // Effort (R6).
    if (intent.effort) {
      next.effort = intent.effort.effort;
      next.effort_comment = intent.effort.comment;
      history(e, 'effort', effortText(e.effort, e.effort_comment), effortText(intent.effort.effort, intent.effort.comment));
      summary.effortChanged += 1;
      touched = true;
    }

    if (touched) {
      next.version = e.version + 1;
      next.updated_at = at;
      writes.enrolments.push(next);
    }
  }
  return { kind: 'write', writes, summary };
}

/** The history row of a certificate revoked by this save (its number is known once it is revoked). */
export function revocationHistory(state: Pick<RegistrationState, 'actor' | 'now' | 'run'>, e: Pick<PlanEnrolment, 'id' | 'user_id'>, number: string, id: string): Insertable<HistoryTable> {
  return certificateRevocationEntry(state.actor, state.now, { id: e.id, user_id: e.user_id, run_id: state.run.id }, number, 'revoked', id);
}
