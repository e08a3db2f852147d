/*
 * The rules of delivering an outbox message, whatever its channel: how long a worker holds a
 * claimed message, and when a failed attempt is tried again (exponential back-off) or given up.
 */

/** How long a claim lasts: a worker that stops mid-delivery lets another take the message after it. */
export const CLAIM_SECONDS = 300;
/** Wait before the second attempt; each later wait doubles it. */
export const FIRST_RETRY_SECONDS = 30;
/** No wait between attempts is longer than this. */
export const LONGEST_RETRY_SECONDS = 6 * 3600;
/** After this many failed attempts the message is given up (state `failed`), about a day after the first. */
export const MAX_ATTEMPTS = 10;

export interface RetryPolicy {
  firstRetrySeconds: number;
  longestRetrySeconds: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstRetrySeconds: FIRST_RETRY_SECONDS,
  longestRetrySeconds: LONGEST_RETRY_SECONDS,
  maxAttempts: MAX_ATTEMPTS,
};

export type AfterFailure = { kind: 'retry'; at: string } | { kind: 'give_up' };

/**
 * What follows the failure of attempt number `attempt` (1 for the first) at `now`: another attempt
 * after `first × 2^(attempt-1)` seconds (at most `longest`), or, once `maxAttempts` have failed, none.
 */
export function afterFailure(attempt: number, now: Date, policy: RetryPolicy = DEFAULT_RETRY_POLICY): AfterFailure {
  if (attempt >= policy.maxAttempts) return { kind: 'give_up' };
  const seconds = Math.min(policy.longestRetrySeconds, policy.firstRetrySeconds * 2 ** Math.max(0, attempt - 1));
  return { kind: 'retry', at: new Date(now.getTime() + seconds * 1000).toISOString() };
}

/** The end of a claim made at `now`. */
export function claimUntil(now: Date, seconds: number = CLAIM_SECONDS): string {
  return new Date(now.getTime() + seconds * 1000).toISOString();
}

/** An error as kept with an attempt: its message, on one line, not longer than a database needs. */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').slice(0, 1000);
}

/**
 * A delivery that failed with an answer from the other side (an HTTP status that is not success):
 * the attempt keeps the status beside the message.
 */
export class DeliveryRefused extends Error {
  override name = 'DeliveryRefused';
  constructor(
    message: string,
    readonly responseStatus: number,
  ) {
    super(message);
  }
}
