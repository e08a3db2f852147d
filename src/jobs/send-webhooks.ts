import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { DeliveryRefused, type RetryPolicy } from '../domain/delivery.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, WEBHOOK_CHANNEL, WEBHOOK_EVENTS, WEBHOOK_TIMEOUT_MS, webhookPayload, type WebhookEvent } from '../domain/webhooks.ts';
import { getWebhookDelivery } from '../repositories/webhooks.ts';
import { deliverDue, type DeliveryOutcome } from './deliveries.ts';

export interface SendWebhooksOptions {
  clock?: () => Date;
  policy?: RetryPolicy;
  worker?: string;
  maxPerRun?: number;
  /** How long a receiver has to answer (default WEBHOOK_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * Posts the webhook events waiting in the outbox to their subscriptions (the delivery rules of
 * deliveries.ts: claimed, retried with back-off, every attempt recorded with its HTTP status). The
 * body is JSON built from the event's history row, the same at every attempt; it is signed with the
 * subscription's secret (Presentia-Signature) and carries the outbox id (Presentia-Delivery) so a
 * receiver can recognise a delivery it already has. A 2xx answer is delivered; any other answer, a
 * redirect included, a timeout or a network error is tried again. A subscription deactivated or an
 * event that can no longer be read is skipped. Idempotent and safe to run from several servers and
 * the command line at once.
 */
export async function sendDueWebhooks(db: Kysely<Database>, options: SendWebhooksOptions = {}): Promise<DeliveryOutcome> {
  const clock = options.clock ?? (() => new Date());
  return deliverDue(db, {
    channel: WEBHOOK_CHANNEL,
    clock,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.worker ? { worker: options.worker } : {}),
    ...(options.maxPerRun ? { maxPerRun: options.maxPerRun } : {}),
    deliver: async (message) => {
      const found = await getWebhookDelivery(db, message.id);
      if (!found || !found.url || !found.secret || found.deactivated_at || !found.history_id || !WEBHOOK_EVENTS.includes(found.kind as WebhookEvent)) return 'skipped';
      const body = JSON.stringify(
        webhookPayload({
          deliveryId: found.id,
          type: found.kind as WebhookEvent,
          history: {
            id: found.history_id,
            at: found.at!,
            source: found.source!,
            user_id: found.user_id!,
            enrolment_id: found.enrolment_id,
            run_id: found.run_id,
            old_value: found.old_value,
            new_value: found.new_value,
            note: found.note,
          },
          verificationCode: found.verification_code,
        }),
      );
      const response = await fetch(found.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Presentia-Webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(found.secret, body, clock()),
          [EVENT_HEADER]: found.kind,
          [DELIVERY_HEADER]: found.id,
        },
        body,
        // A redirect is not followed: the subscription names the one address its events go to.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
      });
      // The answer's body is not read beyond what frees the connection.
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status > 299) throw new DeliveryRefused(`HTTP ${response.status}`, response.status);
      return { outcome: 'sent', responseStatus: response.status };
    },
  });
}
