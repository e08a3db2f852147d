import type { Insertable } from 'kysely';
import type { OutboxTable } from '../db/schema.ts';

/*
 * Which e-mail a change causes, to whom, in which language: pure planning of outbox rows. The
 * texts are in src/i18n (`mail`); the worker writes them when it sends (src/jobs/send-mail.ts).
 */

/** The outbox channel of e-mail. */
export const MAIL_CHANNEL = 'mail';

/** What each kind of e-mail needs to be written, kept with the message when the change is saved. */
export type MailPayload =
  | { kind: 'certificate_issued'; certificateId: string; number: string; courseTitle: string }
  | { kind: 'certificate_revoked'; number: string; courseTitle: string; revokedAt: string; reason: string | null }
  | { kind: 'run_cancelled'; role: 'participant' | 'teacher'; courseTitle: string; runCode: string; startsOn: string; place: string; reason: string }
  | { kind: 'run_choice_required'; programmeTitle: string; courseTitles: string[] }
  | { kind: 'password_link'; expiresAt: string }
  | { kind: 'absence_reported'; participantName: string; courseTitle: string; runId: string; runCode: string; meetingStartsAt: string; reason: string };

export type MailKind = MailPayload['kind'];

export const MAIL_KINDS: readonly MailKind[] = ['certificate_issued', 'certificate_revoked', 'run_cancelled', 'run_choice_required', 'password_link', 'absence_reported'];

/** One e-mail a change wants sent to a user; `secret` is kept only until the message is done. */
export interface MailRequest {
  userId: string;
  payload: MailPayload;
  secret?: string;
}

/** What the outbox needs to know of a recipient. */
export interface MailRecipient {
  id: string;
  email: string;
  locale: 'nl' | 'en' | null;
  anonymised_at: string | null;
  deactivated_at: string | null;
}

/** The language of a person's e-mail: their own setting, else Dutch (the product's default). */
export function mailLocale(recipient: Pick<MailRecipient, 'locale'>): 'nl' | 'en' {
  return recipient.locale === 'en' ? 'en' : 'nl';
}

/**
 * The outbox rows of a change's e-mail requests, due at once. Nobody is written to twice about the
 * same thing in one change (same person, same payload). Nothing goes to an anonymised person (their
 * address is no longer theirs) or to a deactivated account, except the link to set a password, which
 * the service refuses for a deactivated account before it is asked for.
 */
export function planMails(requests: readonly MailRequest[], recipients: readonly MailRecipient[], at: string, newId: () => string): Insertable<OutboxTable>[] {
  const byId = new Map(recipients.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const rows: Insertable<OutboxTable>[] = [];
  for (const request of requests) {
    const recipient = byId.get(request.userId);
    if (!recipient || recipient.anonymised_at) continue;
    if (recipient.deactivated_at && request.payload.kind !== 'password_link') continue;
    const payload = JSON.stringify(request.payload);
    const key = `${recipient.id}\u0000${payload}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      id: newId(),
      channel: MAIL_CHANNEL,
      kind: request.payload.kind,
      recipient: recipient.email,
      recipient_user_id: recipient.id,
      locale: mailLocale(recipient),
      payload,
      secret: request.secret ?? null,
      state: 'pending',
      attempts: 0,
      next_attempt_at: at,
      claimed_by: null,
      claimed_until: null,
      created_at: at,
      finished_at: null,
      last_error: null,
    });
  }
  return rows;
}

/**
 * The e-mail of cancelled runs: to each participant whose enrolment in one became Geannuleerd, and to
 * each of its teachers, with the reason. `runs` has a row per teacher (teacher_id null: none).
 */
export function cancellationMails(
  runs: readonly { id: string; code: string; starts_on: string; place: string; course_title: string; teacher_id: string | null }[],
  cancelled: readonly { user_id: string; run_id: string | null }[],
  reason: string,
): MailRequest[] {
  const byRun = new Map(runs.map((r) => [r.id, r]));
  const about = (run: (typeof runs)[number], role: 'participant' | 'teacher'): MailPayload => ({
    kind: 'run_cancelled',
    role,
    courseTitle: run.course_title,
    runCode: run.code,
    startsOn: run.starts_on,
    place: run.place,
    reason,
  });
  const out: MailRequest[] = [];
  for (const e of cancelled) {
    const run = e.run_id ? byRun.get(e.run_id) : undefined;
    if (run) out.push({ userId: e.user_id, payload: about(run, 'participant') });
  }
  for (const run of runs) if (run.teacher_id) out.push({ userId: run.teacher_id, payload: about(run, 'teacher') });
  return out;
}
