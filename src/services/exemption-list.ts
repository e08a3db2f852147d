import { nowIso, type Db } from '../db/index.ts';
import { readExemptionList, type ListRefusal } from '../domain/exemption-list.ts';
import { checkReason, normaliseKey, planExemptionList, type EnrolmentState, type LineOutcome, type StatusChange } from '../domain/lifecycle.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { findPeopleByKeys, getCourse, lockCourseEnrolmentsOfUsers } from '../repositories/lifecycle.ts';
import type { Actor } from './actor.ts';
import { requireAdmin, writeChanges } from './lifecycle.ts';

/** The list or its ground was refused as a whole; nothing was written. Keys under `lifecycle.refusals`. */
export class ExemptionListRefused extends AppError {
  constructor(readonly refusals: readonly (ListRefusal | 'reason_required' | 'reason_too_long')[]) {
    super('invalid_input', 422, `refused: ${refusals.join(', ')}`);
  }
}

export interface ExemptionListPlan {
  course: { id: string; title: string; code: string; version: number };
  lines: LineOutcome[];
  counts: { applied: number; skipped: number; refused: number };
}

/** Reads the list and works out, under the transaction's locks, what each line does. */
async function plan(trx: Db, courseId: string, content: Uint8Array): Promise<ExemptionListPlan> {
  const course = await getCourse(trx, courseId);
  if (!course) throw new NotFoundOrNoAccess();
  const read = readExemptionList(content);
  if ('refusal' in read) throw new ExemptionListRefused([read.refusal]);
  const keys = [...new Set(read.lines.map((l) => normaliseKey(l.key)).filter((k) => k !== ''))];
  const found = await findPeopleByKeys(trx, keys.filter((k) => k.includes('@')), keys.filter((k) => !k.includes('@')));
  const people = new Map<string, { id: string; name: string }[]>();
  const add = (key: string, person: { id: string; name: string }) => {
    const list = people.get(key) ?? [];
    if (!list.some((p) => p.id === person.id)) list.push(person);
    people.set(key, list);
  };
  for (const p of found) {
    add(p.email.toLowerCase(), p);
    if (p.personnel_number) add(p.personnel_number, p);
  }
  const enrolments = await lockCourseEnrolmentsOfUsers(trx, courseId, [...new Set(found.map((p) => p.id))]);
  const byUser = new Map<string, EnrolmentState[]>();
  for (const e of enrolments) byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), e]);
  const lines = planExemptionList(read.lines, people, byUser);
  const count = (o: LineOutcome['outcome']) => lines.filter((l) => l.outcome === o).length;
  return {
    course: { id: course.id, title: course.title, code: course.code, version: course.version },
    lines,
    counts: { applied: count('applied'), skipped: count('skipped'), refused: count('refused') },
  };
}

/** What importing the exemption list would do, line by line: applied, skipped or refused with the reason. Writes nothing. */
export async function previewExemptionList(db: Db, actor: Actor, courseId: string, content: Uint8Array): Promise<ExemptionListPlan> {
  requireAdmin(actor);
  return plan(db, courseId, content);
}

/**
 * Imports the exemption list in one transaction: every applied line's open enrolments in the course
 * become Vrijgesteld, with the list's ground in their history (source admin); skipped and refused
 * lines change nothing. Returns the plan as carried out.
 */
export async function importExemptionList(db: Db, actor: Actor, courseId: string, content: Uint8Array, reason: string, now: Date = new Date()): Promise<ExemptionListPlan> {
  requireAdmin(actor);
  const checked = checkReason(reason);
  if ('refusal' in checked) throw new ExemptionListRefused([checked.refusal as 'reason_required' | 'reason_too_long']);
  const at = nowIso(now);
  const work = async (trx: Db) => {
    const result = await plan(trx, courseId, content);
    const changes: StatusChange[] = result.lines.flatMap((l) => (l.outcome === 'applied' ? l.enrolments.map((e) => ({ enrolment: e, from: e.status, to: 'exempted' as const })) : []));
    await writeChanges(trx, actor, at, changes, checked.reason, { exemptionReason: checked.reason, exemptionFile: null });
    return result;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
