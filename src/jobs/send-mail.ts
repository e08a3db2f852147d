import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { MAIL_CHANNEL } from '../domain/mail.ts';
import type { RetryPolicy } from '../domain/delivery.ts';
import { writeMail } from '../services/mail-render.ts';
import type { Mailer } from '../services/mailer.ts';
import { deliverDue, type DeliveryOutcome } from './deliveries.ts';

export interface SendMailOptions {
  mailer: Mailer;
  /** The public address links and QR codes in the mail point to (PUBLIC_URL). */
  baseUrl: string;
  clock?: () => Date;
  policy?: RetryPolicy;
  worker?: string;
  maxPerRun?: number;
}

/**
 * Sends the e-mail waiting in the outbox (the delivery rules of deliveries.ts: claimed, retried with
 * back-off, every attempt recorded). Each message carries its outbox id as its Message-ID, the same
 * at every attempt, so a receiving system can recognise a message it already has. Idempotent and
 * safe to run from several servers and the command line at once.
 */
export async function sendDueMail(db: Kysely<Database>, options: SendMailOptions): Promise<DeliveryOutcome> {
  const host = new URL(options.baseUrl).hostname || 'presentia';
  return deliverDue(db, {
    channel: MAIL_CHANNEL,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.maxPerRun ? { maxPerRun: options.maxPerRun } : {}),
    deliver: async (message) => {
      const mail = await writeMail(db, message, options.baseUrl);
      if (!mail) return 'skipped';
      await options.mailer.send({ ...mail, to: message.recipient, messageId: `<${message.id}@${host}>` });
      return 'sent';
    },
  });
}
