import type { Db } from '../db/index.ts';
import type { MailPayload } from '../domain/mail.ts';
import { formatDate, messages, type Locale } from '../i18n/index.ts';
import { getCertificateById } from '../repositories/certificates.ts';
import type { OutboxMessage } from '../repositories/outbox.ts';
import { passwordLinkPath } from './admin-users.ts';
import { verificationUrl } from './certificates.ts';
import { getDocumentBranding } from './branding.ts';

/** An e-mail as written for its recipient, ready for the transport. */
export interface WrittenMail {
  subject: string;
  text: string;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

/** An outbox message that cannot be written: its payload is not one this version knows. */
export class UnreadableMail extends Error {}

function absolute(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

function paragraphs(locale: Locale, ...parts: (string | null | undefined)[]): string {
  const t = messages(locale).mail;
  return [t.greeting, ...parts.filter((p): p is string => Boolean(p)), `${t.signature}\n${messages(locale).product}`, `-- \n${t.automatic}`].join('\n\n');
}

/**
 * Writes an outbox e-mail in its recipient's language (kept with the message when it was queued).
 * The certificate's PDF is made now, by the same code as its download, and only while the
 * certificate is valid: `undefined` means the mail no longer applies (revoked before it was sent).
 */
export async function writeMail(db: Db, message: Pick<OutboxMessage, 'payload' | 'secret' | 'locale'>, baseUrl: string): Promise<WrittenMail | undefined> {
  const locale: Locale = message.locale === 'en' ? 'en' : 'nl';
  const t = messages(locale);
  const m = t.mail;
  let payload: MailPayload;
  try {
    payload = JSON.parse(message.payload) as MailPayload;
  } catch {
    throw new UnreadableMail('the payload is not JSON');
  }
  const date = (value: string, withTime = false) => formatDate(locale, value, withTime);
  switch (payload.kind) {
    case 'certificate_issued': {
      const certificate = await getCertificateById(db, payload.certificateId);
      if (!certificate || certificate.revoked_at) return undefined;
      const verifyUrl = verificationUrl(baseUrl, certificate.verification_code);
      // Loaded when the first certificate mail is written: pdfkit takes a while to load.
      const { renderCertificatePdf } = await import('./certificates-pdf.ts');
      const pdf = await renderCertificatePdf(certificate, { t, locale, verifyUrl, branding: await getDocumentBranding(db, t.product) });
      return {
        subject: m.certificateIssued.subject(certificate.course_title),
        text: paragraphs(locale, m.certificateIssued.body(certificate.course_title, certificate.number), m.certificateIssued.verify(verifyUrl)),
        attachments: [{ filename: `${m.certificateFileName}-${certificate.number}.pdf`, content: pdf, contentType: 'application/pdf' }],
      };
    }
    case 'certificate_revoked':
      return {
        subject: m.certificateRevoked.subject(payload.courseTitle),
        text: paragraphs(locale, m.certificateRevoked.body(payload.courseTitle, payload.number, date(payload.revokedAt)), payload.reason ? m.reason(payload.reason) : null),
        attachments: [],
      };
    case 'run_cancelled': {
      const say = payload.role === 'teacher' ? m.runCancelled.teacher : m.runCancelled.participant;
      return {
        subject: m.runCancelled.subject(payload.courseTitle, payload.runCode),
        text: paragraphs(locale, say(payload.courseTitle, payload.runCode, date(payload.startsOn), payload.place), m.reason(payload.reason)),
        attachments: [],
      };
    }
    case 'run_choice_required':
      return {
        subject: m.runChoiceRequired.subject(payload.programmeTitle),
        text: paragraphs(locale, `${m.runChoiceRequired.body(payload.programmeTitle)}\n${payload.courseTitles.map((c) => `- ${c}`).join('\n')}`, m.runChoiceRequired.action(absolute(baseUrl, '/me/enrolments'))),
        attachments: [],
      };
    case 'password_link': {
      if (!message.secret) throw new UnreadableMail('the password link is no longer kept');
      return {
        subject: m.passwordLink.subject,
        text: paragraphs(locale, m.passwordLink.body(absolute(baseUrl, passwordLinkPath(message.secret))), m.passwordLink.expiry(date(payload.expiresAt, true))),
        attachments: [],
      };
    }
    case 'absence_reported':
      return {
        subject: m.absenceReported.subject(payload.participantName, payload.courseTitle),
        text: paragraphs(
          locale,
          m.absenceReported.body(payload.participantName, payload.courseTitle, payload.runCode, date(payload.meetingStartsAt, true)),
          m.reason(payload.reason),
          m.absenceReported.action(absolute(baseUrl, `/teacher/runs/${payload.runId}`)),
        ),
        attachments: [],
      };
    default:
      throw new UnreadableMail(`unknown kind ${(payload as { kind?: unknown }).kind}`);
  }
}
