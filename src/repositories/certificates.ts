import type { Insertable } from 'kysely';
import { batches, type Db } from '../db/index.ts';
import type { CertificatesTable } from '../db/schema.ts';

export async function insertCertificates(db: Db, rows: readonly Insertable<CertificatesTable>[]): Promise<void> {
  for (const batch of batches(rows, 10)) await db.insertInto('certificates').values(batch).execute();
}

/** Revokes the valid certificates of these enrolments; returns the revoked certificates' numbers by enrolment. */
export async function revokeCertificates(db: Db, enrolmentIds: readonly string[], at: string): Promise<Map<string, string>> {
  const revoked = new Map<string, string>();
  for (const batch of batches(enrolmentIds, 1)) {
    const rows = await db
      .updateTable('certificates')
      .set({ revoked_at: at })
      .where('enrolment_id', 'in', batch)
      .where('revoked_at', 'is', null)
      .returning(['enrolment_id', 'number'])
      .execute();
    for (const r of rows) revoked.set(r.enrolment_id, r.number);
  }
  return revoked;
}

/** The valid certificate of each of these enrolments. */
export async function listValidCertificates(db: Db, enrolmentIds: readonly string[]) {
  if (enrolmentIds.length === 0) return [];
  const out = [];
  for (const batch of batches(enrolmentIds, 1)) {
    out.push(
      ...(await db
        .selectFrom('certificates')
        .select(['id', 'enrolment_id', 'number', 'verification_code', 'issued_at', 'study_points'])
        .where('enrolment_id', 'in', batch)
        .where('revoked_at', 'is', null)
        .execute()),
    );
  }
  return out;
}

/** Certificates joined with their holder and course: what a certificate shows of them. */
function certificatesWithHolder(db: Db) {
  return db
    .selectFrom('certificates as cert')
    .innerJoin('users as u', 'u.id', 'cert.user_id')
    .innerJoin('courses as c', 'c.id', 'cert.course_id')
    .select([
      'cert.id',
      'cert.number',
      'cert.verification_code',
      'cert.enrolment_id',
      'cert.user_id',
      'cert.study_points',
      'cert.completed_on',
      'cert.issued_at',
      'cert.revoked_at',
      'u.name as participant_name',
      'c.title as course_title',
      'c.code as course_code',
    ]);
}

/** A certificate by its verification code, with participant and course, for the public verification page. */
export async function getCertificateByCode(db: Db, code: string) {
  return certificatesWithHolder(db).where('cert.verification_code', '=', code).executeTakeFirst();
}

/** A certificate by its id, with participant and course, for its PDF. */
export async function getCertificateById(db: Db, id: string) {
  return certificatesWithHolder(db).where('cert.id', '=', id).executeTakeFirst();
}

export type CertificateWithHolder = NonNullable<Awaited<ReturnType<typeof getCertificateById>>>;

/** Every certificate ever issued for an enrolment, valid and revoked, newest first. */
export async function listEnrolmentCertificates(db: Db, enrolmentId: string) {
  return db
    .selectFrom('certificates')
    .select(['id', 'number', 'verification_code', 'study_points', 'completed_on', 'issued_at', 'revoked_at'])
    .where('enrolment_id', '=', enrolmentId)
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}
