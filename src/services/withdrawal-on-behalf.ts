import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { planWithdrawalOnBehalf, type ParticipantRefusal } from '../domain/participant-lifecycle.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { appendHistory } from '../repositories/history.ts';
import { getEnrolmentForAction, statusColumns, updateEnrolment } from '../repositories/participant-actions.ts';
import { getEnrolmentWithCourse } from '../repositories/participant.ts';
import type { Actor } from './actor.ts';
import { EnrolmentChanged } from './participant-actions.ts';

/**
 * An administrator withdraws a participant on their behalf, with proof of force majeure (a note that
 * proof was seen, or a stored proof file): the enrolment becomes Uitgeschreven met geldige reden (R4),
 * with the withdrawal date and the proof recorded and history with source `admin` (R9).
 */
export async function withdrawOnBehalf(
  db: Kysely<Database>,
  actor: Actor,
  input: { enrolmentId: string; withdrawnOn: string; proofNote: string; proofFileKey: string | null },
  now: Date = new Date(),
): Promise<{ ok: true } | { ok: false; reason: ParticipantRefusal }> {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const note = input.proofNote.trim().slice(0, 1000);
  return db.transaction().execute(async (trx) => {
    const enrolment = await getEnrolmentForAction(trx, input.enrolmentId);
    if (!enrolment) throw new NotFoundOrNoAccess();
    const plan = planWithdrawalOnBehalf(
      { status: enrolment.status, withdrawnOn: enrolment.withdrawn_on },
      { withdrawnOn: input.withdrawnOn, hasProof: note !== '' || input.proofFileKey !== null },
    );
    if (!plan.ok) return plan;
    const at = nowIso(now);
    const written = await updateEnrolment(
      trx,
      enrolment,
      {
        ...statusColumns(plan.value.change.to, at),
        withdrawn_on: plan.value.withdrawnOn,
        force_majeure_note: note === '' ? null : note,
        force_majeure_file: input.proofFileKey,
      },
      at,
    );
    if (!written) throw new EnrolmentChanged();
    const base = { at, actor_id: actor.id, source: actor.source, user_id: enrolment.user_id, enrolment_id: enrolment.id, run_id: enrolment.run_id, meeting_id: null };
    await appendHistory(trx, [
      ...(enrolment.withdrawn_on ? [] : [{ ...base, id: newId(), field: 'withdrawal' as const, old_value: null, new_value: plan.value.withdrawnOn, note: 'force_majeure' }]),
      { ...base, id: newId(), field: 'status', old_value: plan.value.change.from, new_value: plan.value.change.to, note: 'force_majeure' },
    ]);
    return { ok: true };
  });
}

/** What the administrator's withdrawal form shows of an enrolment: who, which course, which status. */
export async function getEnrolmentForWithdrawal(db: Kysely<Database>, actor: Actor, enrolmentId: string) {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
  const enrolment = await getEnrolmentWithCourse(db, enrolmentId);
  if (!enrolment) throw new NotFoundOrNoAccess();
  const person = await db.selectFrom('users').select('name').where('id', '=', enrolment.user_id).executeTakeFirstOrThrow();
  return { enrolment, personName: person.name };
}
