import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId, nowIso, type Database } from '../db/index.ts';
import { afterFailure, CLAIM_SECONDS, claimUntil, DEFAULT_RETRY_POLICY, DeliveryRefused, describeFailure, type RetryPolicy } from '../domain/delivery.ts';
import { claimDueMessages, finishAttempt, type OutboxMessage } from '../repositories/outbox.ts';

/*
 * Delivery of outbox messages, whatever the channel: claim the due messages, hand each to the
 * channel's `deliver`, record the attempt, and schedule a retry with back-off or give up. The mail
 * job is one channel (send-mail.ts); another kind of delivery supplies its own `deliver` and reuses
 * the rest.
 */

/**
 * What a channel does with one claimed message: resolve `sent` when delivered, `skipped` when it no
 * longer applies and was not sent; throw when it could not be delivered (it is then tried again). A
 * channel that speaks HTTP resolves with the response's status too, and throws a DeliveryRefused
 * carrying it; the attempt records it.
 */
export type Deliver = (message: OutboxMessage) => Promise<'sent' | 'skipped' | { outcome: 'sent' | 'skipped'; responseStatus: number | null }>;

export interface DeliveryOptions {
  channel: string;
  deliver: Deliver;
  /** The clock, for tests; read again for every step. */
  clock?: () => Date;
  policy?: RetryPolicy;
  /** Messages claimed at a time. */
  batchSize?: number;
  /** At most this many attempts in one run, so a run ends even while new messages keep coming. */
  maxPerRun?: number;
  claimSeconds?: number;
  /** This worker's name in claims and attempts (default: random per run). */
  worker?: string;
}

export interface DeliveryOutcome {
  sent: number;
  skipped: number;
  /** Failed attempts that will be tried again. */
  retrying: number;
  /** Messages given up after their last attempt. */
  failed: number;
  /** Attempts whose claim had passed to another worker by the time they ended (their result is not recorded). */
  lost: number;
}

/**
 * Delivers the channel's due messages, one at a time, until none is due or `maxPerRun` attempts were
 * made. Idempotent: a message is claimed before its delivery, so neither a second worker nor a second
 * run delivers it at the same time, and a delivered message is never claimed again. A worker that
 * stops mid-delivery leaves its claim to run out; then the message is tried again (so a message whose
 * delivery was under way when the process was killed may go out twice; see docs/operations.md).
 */
export async function deliverDue(db: Kysely<Database>, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const clock = options.clock ?? (() => new Date());
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const worker = options.worker ?? `${process.pid}-${randomBytes(6).toString('hex')}`;
  const batchSize = options.batchSize ?? 20;
  const maxPerRun = options.maxPerRun ?? 500;
  const outcome: DeliveryOutcome = { sent: 0, skipped: 0, retrying: 0, failed: 0, lost: 0 };
  let made = 0;
  while (made < maxPerRun) {
    const now = clock();
    const claimed = await claimDueMessages(db, {
      channel: options.channel,
      worker,
      now: nowIso(now),
      until: claimUntil(now, options.claimSeconds ?? CLAIM_SECONDS),
      limit: Math.min(batchSize, maxPerRun - made),
    });
    if (claimed.length === 0) break;
    for (const message of claimed) {
      made += 1;
      const startedAt = nowIso(clock());
      let error: string | null = null;
      let result: 'sent' | 'skipped' = 'sent';
      let responseStatus: number | null = null;
      try {
        const delivered = await options.deliver(message);
        if (typeof delivered === 'string') result = delivered;
        else ({ outcome: result, responseStatus } = delivered);
      } catch (caught) {
        error = describeFailure(caught);
        if (caught instanceof DeliveryRefused) responseStatus = caught.responseStatus;
      }
      const ended = clock();
      const attempt = {
        id: newId(),
        attempt: message.attempts,
        started_at: startedAt,
        finished_at: nowIso(ended),
        outcome: error === null ? result : ('failed' as const),
        error,
        response_status: responseStatus,
      };
      let next: Parameters<typeof finishAttempt>[3];
      if (error === null) next = { state: result, at: nowIso(ended) };
      else {
        const after = afterFailure(message.attempts, ended, policy);
        next = after.kind === 'retry' ? { state: 'pending', retryAt: after.at } : { state: 'failed', at: nowIso(ended) };
      }
      const recorded = await finishAttempt(db, { id: message.id, worker }, attempt, next);
      if (!recorded) outcome.lost += 1;
      else if (next.state === 'sent') outcome.sent += 1;
      else if (next.state === 'skipped') outcome.skipped += 1;
      else if (next.state === 'pending') outcome.retrying += 1;
      else outcome.failed += 1;
    }
  }
  return outcome;
}
