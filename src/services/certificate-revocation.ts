import { newId, nowIso, type Db } from '../db/index.ts';
import { decodeCursor, type KeysetPage } from '../db/keyset.ts';
import { certificateRevocationEntry, planBulkRevocation, type BulkRevocationRefusal } from '../domain/certificate-revocation.ts';
import { AppError, NotFoundOrNoAccess } from '../errors.ts';
import { revokeCertificates } from '../repositories/certificates.ts';
import {
  countRevocableCertificates,
  listRevocableCertificates,
  lockSelectedCertificates,
  type CertificateFilter,
  type RevocableCertificate,
} from '../repositories/certificate-revocation.ts';
import { appendHistory } from '../repositories/history.ts';
import { listCourses } from '../repositories/lifecycle.ts';
import type { Actor } from './actor.ts';
import { enqueueMails } from './mail-outbox.ts';

export type { CertificateFilter, RevocableCertificate } from '../repositories/certificate-revocation.ts';
export type { BulkRevocationRefusal } from '../domain/certificate-revocation.ts';

/** Certificates on one page of the administrator's list. */
export const CERTIFICATES_PER_PAGE = 50;

/** What an administrator selected: these certificates, or every valid one the filter matches. */
export type CertificateSelection = { ids: readonly string[] } | { filter: CertificateFilter };

/** The revocation was refused; nothing was written. */
export class BulkRevocationRefused extends AppError {
  constructor(readonly refusals: readonly BulkRevocationRefusal[]) {
    super('invalid_input', 422, `refused: ${refusals.join(', ')}`);
  }
}

function requireAdmin(actor: Actor): void {
  if (!actor.roles.includes('admin')) throw new NotFoundOrNoAccess();
}

/** One page of valid certificates matching the filter, with how many match in all (administrators only). */
export async function findRevocableCertificates(
  db: Db,
  actor: Actor,
  filter: CertificateFilter,
  cursor: { after?: string | undefined; before?: string | undefined },
): Promise<{ page: KeysetPage<RevocableCertificate>; total: number; courses: { id: string; title: string; version: number }[] }> {
  requireAdmin(actor);
  const [page, total, courses] = await Promise.all([
    listRevocableCertificates(db, filter, { after: decodeCursor(cursor.after, 2), before: decodeCursor(cursor.before, 2), limit: CERTIFICATES_PER_PAGE }),
    countRevocableCertificates(db, filter),
    listCourses(db),
  ]);
  return { page, total, courses: courses.map((c) => ({ id: c.id, title: c.title, version: c.version })) };
}

/**
 * What a revocation would do, for its confirmation screen: the valid certificates selected, or the
 * refusals (no reason, nothing selected). Changes nothing.
 */
export async function previewBulkRevocation(db: Db, actor: Actor, selection: CertificateSelection, reason: string) {
  requireAdmin(actor);
  const plan = planBulkRevocation({ reason }, await lockSelectedCertificates(db, selection));
  if (!plan.ok) throw new BulkRevocationRefused(plan.refusals);
  return { reason: plan.reason, certificates: plan.certificates };
}

/**
 * Revokes the selected certificates with a reason, in one transaction (R3): each becomes revoked at
 * this moment (the verification page then says so, with the date), its enrolment's history records
 * the number and the reason (R9), and its holder is mailed through the outbox. Certificates revoked
 * meanwhile are left as they are; nothing valid selected, or no reason, refuses the whole.
 */
export async function revokeCertificatesInBulk(db: Db, actor: Actor, selection: CertificateSelection, reason: string, now: Date = new Date()): Promise<{ revoked: number }> {
  requireAdmin(actor);
  const at = nowIso(now);
  const work = async (trx: Db) => {
    const plan = planBulkRevocation({ reason }, await lockSelectedCertificates(trx, selection));
    if (!plan.ok) throw new BulkRevocationRefused(plan.refusals);
    const byEnrolment = new Map(plan.certificates.map((c) => [c.enrolment_id, c]));
    // The same statement as a save that leaves Voltooid: the enrolment's valid certificate is revoked.
    const revoked = await revokeCertificates(trx, [...byEnrolment.keys()], at);
    const done = [...revoked.keys()].map((enrolmentId) => byEnrolment.get(enrolmentId)!);
    await appendHistory(
      trx,
      done.map((c) => certificateRevocationEntry(actor, at, { id: c.enrolment_id, user_id: c.user_id, run_id: c.run_id }, c.number, plan.reason, newId())),
    );
    await enqueueMails(
      trx,
      done.map((c) => ({ userId: c.user_id, payload: { kind: 'certificate_revoked' as const, number: c.number, courseTitle: c.course_title, revokedAt: at, reason: plan.reason } })),
      at,
    );
    return { revoked: done.length };
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
