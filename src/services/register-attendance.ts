import type { Db } from '../db/index.ts';
import { newId, nowIso } from '../db/index.ts';
import { certificateNumber, verificationCode } from '../domain/certificate.ts';
import {
  planRegistration,
  revocationHistory,
  type FormErrorKey,
  type Overwrite,
  type PlanMeeting,
  type RegistrationInput,
  type RegistrationSummary,
  type RowErrorKey,
  type StatusChange,
  type StatusCorrection,
  type ValueConflict,
} from '../domain/registration-plan.ts';
import { isStatusCode } from '../domain/study-status.ts';
import { isCorrection } from '../domain/registration/status-rule.ts';
import { AppError } from '../errors.ts';
import { insertCertificates, revokeCertificates } from '../repositories/certificates.ts';
import {
  creditedElsewhere,
  listRunAttendance,
  listRunEnrolments,
  lockRunEnrolments,
  updateEnrolmentsIfUnchanged,
  upsertAttendance,
} from '../repositories/enrolments.ts';
import { appendHistory, listLastStatusChanges } from '../repositories/history.ts';
import { listProofFilesByKey } from '../repositories/proof-files.ts';
import { listMeetings } from '../repositories/runs.ts';
import type { Actor } from './actor.ts';
import { enqueueMails } from './mail-outbox.ts';
import { loadManagedRun } from './run-access.ts';

export type {
  ConflictValue,
  FormErrorKey,
  Overwrite,
  RegistrationInput,
  RegistrationSummary,
  Resolution,
  RowErrorKey,
  RowInput,
  SeenValues,
  StatusCorrection,
  ValueConflict,
} from '../domain/registration-plan.ts';

export type RegistrationOutcome =
  | { kind: 'saved'; summary: RegistrationSummary }
  | {
      kind: 'confirm';
      /** Rows set to Voltooid while the run's last meeting is still to come (R2). */
      earlyCompletions: { enrolmentId: string; name: string }[];
      /** Attendance recorded before that this save would change (R7). */
      overwrites: Overwrite[];
      /** Statuses no longer active that this save corrects (R1). */
      corrections: StatusCorrection[];
    };

/** The save was refused; nothing was written. Each problem is keyed to its row or to the form. */
export class RegistrationRefused extends AppError {
  constructor(
    readonly rowErrors: ReadonlyMap<string, RowErrorKey[]>,
    readonly formErrors: readonly FormErrorKey[],
    /** Chosen meetings that have not started, where the save would record someone present (R2). */
    readonly notStarted: readonly PlanMeeting[] = [],
  ) {
    super('invalid_input', 422, 'registration refused');
  }
}

/** Someone else changed values this save changes since the page was loaded (R11); nothing was written. */
export class RegistrationConflict extends AppError {
  /** The participants concerned, once each. */
  readonly changed: readonly { enrolmentId: string; name: string }[];

  constructor(readonly conflicts: readonly ValueConflict[]) {
    super('conflict', 409, 'registration conflict');
    this.changed = [...new Map(conflicts.map((c) => [c.enrolmentId, { enrolmentId: c.enrolmentId, name: c.name }])).values()];
  }
}

const GENERATORS = { newId, certificateNumber, verificationCode };

/**
 * Saves attendance, statuses and effort for the participants of one run (the rules are the pure
 * planner's, `src/domain/registration-plan.ts`): access, lock, load, plan, then every write in one
 * transaction, all rows or none. Returns what was saved, or the confirmations still needed.
 */
export async function registerAttendance(db: Db, actor: Actor, input: RegistrationInput, now: Date = new Date()): Promise<RegistrationOutcome> {
  const at = nowIso(now);
  return db.isTransaction ? run(db) : db.transaction().execute(run);

  async function run(trx: Db): Promise<RegistrationOutcome> {
    // 1. Access (R1): the actor teaches this run, or administers.
    const runRow = await loadManagedRun(trx, actor, input.runId);
    // 2. Load, set-based, after taking the run's enrolment rows: a concurrent save on this run waits
    // here until the first commits, then plans on what it wrote (R11 merges or reports conflicts).
    await lockRunEnrolments(trx, runRow.id);
    const [meetings, enrolments, attendance] = await Promise.all([
      listMeetings(trx, runRow.id),
      listRunEnrolments(trx, runRow.id),
      listRunAttendance(trx, runRow.id),
    ]);
    const elsewhere = await creditedElsewhere(trx, runRow.id, runRow.course_id);
    // Who set a status no longer active matters only when this save corrects one (R1).
    const asked = new Set(input.rows.filter((r) => r.status !== null).map((r) => r.enrolmentId));
    const corrected = enrolments.filter((e) => asked.has(e.id) && isCorrection(e.status)).map((e) => e.id);
    const lastStatusChanges = new Map<string, StatusChange>();
    for (const [id, change] of await listLastStatusChanges(trx, corrected)) {
      lastStatusChanges.set(id, { actorId: change.actorId, from: change.from && isStatusCode(change.from) ? change.from : null });
    }
    const storedProofs = await listProofFilesByKey(trx, input.rows.flatMap((r) => (r.proofFile ? [r.proofFile] : [])));
    const state = { actor, now: at, run: runRow, meetings, enrolments, attendance, creditedElsewhere: elsewhere, lastStatusChanges, storedProofs };

    // 3. Plan.
    const plan = planRegistration(state, input, GENERATORS);
    if (plan.kind === 'refused') throw new RegistrationRefused(plan.rowErrors, plan.formErrors, plan.notStarted);
    if (plan.kind === 'conflict') throw new RegistrationConflict(plan.conflicts);
    if (plan.kind === 'confirm') return plan;

    // 4. Write, set-based: attendance, enrolments (guarded by version), certificates, history.
    const { writes } = plan;
    await upsertAttendance(trx, writes.attendance);
    const written = await updateEnrolmentsIfUnchanged(trx, writes.enrolments);
    if (written !== writes.enrolments.length) {
      // Behind the lock this cannot happen; if it does, nothing of this save may stay.
      throw new AppError('conflict', 409, 'enrolment changed during the save');
    }
    const revoked = await revokeCertificates(trx, writes.revokeFor, at);
    await insertCertificates(trx, writes.certificates);
    const enrolmentById = new Map(enrolments.map((e) => [e.id, e]));
    for (const [enrolmentId, number] of revoked) writes.history.push(revocationHistory(state, enrolmentById.get(enrolmentId)!, number, newId()));
    await appendHistory(trx, writes.history);
    // The holders hear of their new or revoked certificates by e-mail, sent after the commit (outbox).
    await enqueueMails(
      trx,
      [
        ...writes.certificates.map((c) => ({ userId: c.user_id, payload: { kind: 'certificate_issued' as const, certificateId: c.id, number: c.number, courseTitle: runRow.course_title } })),
        ...[...revoked].map(([enrolmentId, number]) => ({
          userId: enrolmentById.get(enrolmentId)!.user_id,
          payload: { kind: 'certificate_revoked' as const, number, courseTitle: runRow.course_title, revokedAt: at, reason: null },
        })),
      ],
      at,
    );
    return { kind: 'saved', summary: { ...plan.summary, certificatesRevoked: revoked.size } };
  }
}
