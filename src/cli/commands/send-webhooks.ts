import { sendDueWebhooks } from '../../jobs/send-webhooks.ts';
import type { Command } from '../command.ts';
import { withDatabase } from '../database.ts';

/** `send-webhooks`: posts the webhook events waiting in the outbox, the job the server also runs every few seconds. */
export const sendWebhooksCommand: Command = {
  name: 'send-webhooks',
  summary: 'Post the webhook events waiting in the outbox (with retries and back-off).',
  usage: 'send-webhooks',
  description: `
Posts every webhook event in the outbox that is due to its subscription's address, signed with the
subscription's secret. An answer other than 2xx, a timeout (10 seconds) or a network error is tried
again later, each wait twice the last (30 seconds, 1 minute, 2 minutes, ... at most 6 hours), and
given up after 10 attempts; every attempt is recorded and shown in the delivery log (Beheer →
Webhooks). Each delivery is claimed before it is posted, so this command can run beside the servers,
which post the outbox themselves (WEBHOOK_SCHEDULE), without posting anything twice at once.`,
  options: {},
  async run(_values, io) {
    await withDatabase(io.env, async (store) => {
      const outcome = await sendDueWebhooks(store.db);
      io.stdout.write(`Webhook outbox: ${outcome.sent} delivered, ${outcome.retrying} to be tried again, ${outcome.failed} given up, ${outcome.skipped} no longer applicable.\n`);
    });
  },
};
