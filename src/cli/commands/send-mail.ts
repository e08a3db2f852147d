import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { sendDueMail } from '../../jobs/send-mail.ts';
import { createMailer, mailBaseUrl } from '../../services/mailer.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `send-mail`: sends the e-mail waiting in the outbox, the job the server also runs every few seconds. */
export const sendMailCommand: Command = {
  name: 'send-mail',
  summary: 'Send the e-mail waiting in the outbox (with retries and back-off).',
  usage: 'send-mail',
  description: `
Sends every e-mail in the outbox that is due: over SMTP when SMTP_HOST is set, otherwise written
to the log (standard error). A mail the server refuses is tried again later, each wait twice the
last (30 seconds, 1 minute, 2 minutes, ... at most 6 hours), and given up after 10 attempts; every
attempt is recorded. Each mail is claimed before it is sent, so this command can run beside the
servers, which send the outbox themselves (MAIL_SCHEDULE), without sending anything twice.`,
  options: {},
  async run(_values, io) {
    const config = loadConfig(io.env);
    const logger = pino({ level: config.LOG_LEVEL }, pino.destination(2));
    const mailer = createMailer(config, logger);
    try {
      await withDatabase(io.env, async (store) => {
        const outcome = await sendDueMail(store.db, { mailer, baseUrl: mailBaseUrl(config) });
        io.stdout.write(
          `E-mail outbox: ${outcome.sent} sent, ${outcome.retrying} to be tried again, ${outcome.failed} given up, ${outcome.skipped} no longer applicable.\n`,
        );
      });
    } finally {
      mailer.close();
    }
  },
};
