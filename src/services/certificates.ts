import type { Db } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { getCertificateByCode, getCertificateById, type CertificateWithHolder } from '../repositories/certificates.ts';
import type { Actor } from './actor.ts';

/** Length of a verification code (see `verificationCode` in domain/certificate.ts). */
const CODE_LENGTH = 16;
const CROCKFORD = /^[0-9A-HJKMNP-TV-Z]+$/;

/**
 * A verification code as typed by a person, made canonical: upper case, without spaces or dashes,
 * and with the letters Crockford's base 32 reads as digits (O as 0, I and L as 1), because codes are
 * copied from paper. Returns undefined when what is left cannot be a code, so nothing is looked up.
 */
export function normaliseVerificationCode(raw: string): string | undefined {
  const code = raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && CROCKFORD.test(code) ? code : undefined;
}

/** Whether the actor may download this certificate: its holder, or head office. */
export function mayDownloadCertificate(actor: Pick<Actor, 'id' | 'roles'>, certificate: { user_id: string }): boolean {
  return certificate.user_id === actor.id || actor.roles.includes('admin');
}

export type CertificateDownload =
  | { kind: 'valid'; certificate: CertificateWithHolder }
  | { kind: 'revoked'; number: string; revokedAt: string };

/**
 * A certificate for its PDF (R3). Anyone but its holder or an administrator is told it does not
 * exist; a revoked certificate is reported as revoked, never printed again.
 */
export async function getCertificateForDownload(db: Db, actor: Actor, certificateId: string): Promise<CertificateDownload> {
  const certificate = await getCertificateById(db, certificateId);
  // Access before state: a stranger must not learn that an id exists, nor that it was revoked.
  if (!certificate || !mayDownloadCertificate(actor, certificate)) throw new NotFoundOrNoAccess();
  if (certificate.revoked_at) return { kind: 'revoked', number: certificate.number, revokedAt: certificate.revoked_at };
  return { kind: 'valid', certificate };
}

export type Verification =
  | { kind: 'unknown' }
  | { kind: 'revoked'; number: string; revokedAt: string }
  | {
      kind: 'valid';
      number: string;
      participantName: string;
      courseTitle: string;
      completedOn: string;
      studyPoints: number;
    };

/**
 * The public verification page's answer for a code (R3): valid with what the certificate states,
 * revoked with its date, or unknown. No sign-in: whoever holds the code (from the paper or its QR
 * code) may check it. A revoked certificate shows only its number and date: it no longer vouches for
 * anyone, so its holder's name is not published with it.
 */
export async function verifyCertificate(db: Db, rawCode: string): Promise<Verification> {
  const code = normaliseVerificationCode(rawCode);
  if (!code) return { kind: 'unknown' };
  const certificate = await getCertificateByCode(db, code);
  if (!certificate) return { kind: 'unknown' };
  if (certificate.revoked_at) return { kind: 'revoked', number: certificate.number, revokedAt: certificate.revoked_at };
  return {
    kind: 'valid',
    number: certificate.number,
    participantName: certificate.participant_name,
    courseTitle: certificate.course_title,
    completedOn: certificate.completed_on,
    studyPoints: Number(certificate.study_points),
  };
}

/** The public address of a certificate's verification page, as printed in its QR code. */
export function verificationUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/verify/${encodeURIComponent(code)}`;
}
