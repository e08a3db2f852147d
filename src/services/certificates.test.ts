import { describe, expect, it } from 'vitest';
import { newId } from '../db/index.ts';
import { NotFoundOrNoAccess } from '../errors.ts';
import { messages } from '../i18n/index.ts';
import { getCertificateById } from '../repositories/certificates.ts';
import { describeEachDatabase } from '../testing/databases.ts';
import { enrol, makeRun, makeUser } from '../testing/factories.ts';
import type { Actor } from './actor.ts';
import { renderCertificatePdf } from './certificates-pdf.ts';
import {
  getCertificateForDownload,
  mayDownloadCertificate,
  normaliseVerificationCode,
  verificationUrl,
  verifyCertificate,
} from './certificates.ts';
import { teacherSaves } from '../testing/teacher-saves.ts';

const self = (user: { id: string; roles: Actor['roles'] }): Actor => ({ id: user.id, roles: user.roles, source: 'participant' });

describe('verification codes', () => {
  it('reads a code the way a person copies it from paper', () => {
    expect(normaliseVerificationCode('7K3M9Q2D4F6H8J0N')).toBe('7K3M9Q2D4F6H8J0N');
    expect(normaliseVerificationCode(' 7k3m-9q2d 4f6h-8j0n ')).toBe('7K3M9Q2D4F6H8J0N');
    expect(normaliseVerificationCode('7K3M9Q2D4F6H8JON')).toBe('7K3M9Q2D4F6H8J0N');
    expect(normaliseVerificationCode('IK3M9Q2D4F6H8J0L')).toBe('1K3M9Q2D4F6H8J01');
  });

  it('refuses what cannot be a code, so nothing is looked up', () => {
    for (const raw of ['', 'ABC', '7K3M9Q2D4F6H8J0NX', 'UUUUUUUUUUUUUUUU', "' OR '1'='1' --  ", '<script>x</script>']) {
      expect(normaliseVerificationCode(raw)).toBeUndefined();
    }
  });

  it('builds the public address from a base with or without a trailing slash', () => {
    expect(verificationUrl('https://presentia.example.org/', 'ABC')).toBe('https://presentia.example.org/verify/ABC');
    expect(verificationUrl('http://127.0.0.1:3000', 'ABC')).toBe('http://127.0.0.1:3000/verify/ABC');
  });

  it('lets the holder and administrators download, nobody else', () => {
    const cert = { user_id: 'holder' };
    expect(mayDownloadCertificate({ id: 'holder', roles: ['participant'] }, cert)).toBe(true);
    expect(mayDownloadCertificate({ id: 'someone', roles: ['admin'] }, cert)).toBe(true);
    expect(mayDownloadCertificate({ id: 'someone', roles: ['teacher', 'participant'] }, cert)).toBe(false);
  });
});

describeEachDatabase('certificates service', (store) => {
  const db = () => store().db;

  async function completed(name = 'Łukasz Ærøskøbing') {
    const teacher = await makeUser(db(), ['teacher']);
    const run = await makeRun(db(), { teacherId: teacher.id, meetingDays: [-7, -1], points: 1.5 });
    const holder = await makeUser(db(), ['participant'], name);
    const e = await enrol(db(), run, holder.id);
    await teacherSaves(db(), teacher, run.id, e.id, { present: true, allMeetings: true, status: 'completed' });
    const cert = await db().selectFrom('certificates').selectAll().where('enrolment_id', '=', e.id).executeTakeFirstOrThrow();
    return { teacher, run, holder, e, cert };
  }

  it('verifies a valid certificate, then says revoked once the teacher sets another status (R3)', async () => {
    const { teacher, run, e, cert } = await completed();
    expect(await verifyCertificate(db(), cert.verification_code.toLowerCase())).toEqual({
      kind: 'valid',
      number: cert.number,
      participantName: 'Łukasz Ærøskøbing',
      courseTitle: 'Eerste hulp op de werkvloer',
      completedOn: cert.completed_on,
      studyPoints: 3,
    });

    await teacherSaves(db(), teacher, run.id, e.id, { status: 'failed' });
    const revoked = await verifyCertificate(db(), cert.verification_code);
    expect(revoked).toMatchObject({ kind: 'revoked', number: cert.number });
    expect(revoked).not.toHaveProperty('participantName');
  });

  it('calls a code nobody was given unknown', async () => {
    expect(await verifyCertificate(db(), '0000000000000000')).toEqual({ kind: 'unknown' });
    expect(await verifyCertificate(db(), 'not a code')).toEqual({ kind: 'unknown' });
  });

  it('gives the PDF data to its holder and to administrators only', async () => {
    const { teacher, holder, cert } = await completed();
    const admin = await makeUser(db(), ['admin']);
    const stranger = await makeUser(db(), ['participant']);
    expect(await getCertificateForDownload(db(), self(holder), cert.id)).toMatchObject({ kind: 'valid', certificate: { id: cert.id } });
    expect(await getCertificateForDownload(db(), self(admin), cert.id)).toMatchObject({ kind: 'valid' });
    for (const actor of [self(stranger), self(teacher)]) {
      await expect(getCertificateForDownload(db(), actor, cert.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
    }
    await expect(getCertificateForDownload(db(), self(holder), newId())).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('never prints a revoked certificate, and tells a stranger nothing about it', async () => {
    const { teacher, run, holder, e, cert } = await completed();
    await teacherSaves(db(), teacher, run.id, e.id, { status: 'absent' });
    const stranger = await makeUser(db(), ['participant']);
    expect(await getCertificateForDownload(db(), self(holder), cert.id)).toMatchObject({ kind: 'revoked', number: cert.number });
    await expect(getCertificateForDownload(db(), self(stranger), cert.id)).rejects.toBeInstanceOf(NotFoundOrNoAccess);
  });

  it('renders a PDF with an embedded font that carries any name, and the verification address', async () => {
    const { cert } = await completed('Łukasz Ærøskøbing مرحبا 👩🏽‍🏫 <script>');
    const certificate = (await getCertificateById(db(), cert.id))!;
    const url = verificationUrl('https://presentia.example.org', cert.verification_code);
    for (const locale of ['nl', 'en'] as const) {
      const pdf = await renderCertificatePdf(certificate, { t: messages(locale), locale, verifyUrl: url });
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      // Embedded DejaVu, never the built-in Latin-1-only Helvetica that garbles such names.
      expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
      expect(text).not.toContain('Helvetica');
      // The link under the QR code (annotations are not compressed).
      expect(text).toContain(url);
    }
  });
});
