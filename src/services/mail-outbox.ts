import { newId, type Db } from '../db/index.ts';
import { planMails, type MailRequest } from '../domain/mail.ts';
import { insertOutboxMessages, listMailRecipients } from '../repositories/outbox.ts';

/**
 * Puts the e-mail a change causes into the outbox, inside that change's transaction `trx`: the mail
 * exists if and only if the change is committed, and the save never waits for an SMTP server (the
 * worker of src/jobs/send-mail.ts sends it after the commit). Two statements whatever the number of
 * messages.
 */
export async function enqueueMails(trx: Db, requests: readonly MailRequest[], at: string): Promise<number> {
  if (requests.length === 0) return 0;
  const recipients = await listMailRecipients(trx, [...new Set(requests.map((r) => r.userId))]);
  const rows = planMails(requests, recipients, at, newId);
  await insertOutboxMessages(trx, rows);
  return rows.length;
}
