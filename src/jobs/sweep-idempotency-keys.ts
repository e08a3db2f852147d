import type { Db } from '../db/index.ts';
import { nowIso } from '../db/index.ts';
import { deleteIdempotencyKeysBefore } from '../repositories/api-tokens.ts';

/** How long the API keeps the answer to a request with an Idempotency-Key. */
export const IDEMPOTENCY_KEY_HOURS = 24;

/** The schedule of the clean-up inside the server (croner syntax): daily at 03:47. */
export const SWEEP_IDEMPOTENCY_KEYS_SCHEDULE = '47 3 * * *';

/**
 * Removes the kept answers of API requests older than a day (the API no longer replays them
 * anyway). Idempotent: a second run finds nothing to remove.
 */
export async function sweepIdempotencyKeys(db: Db, now: Date = new Date()): Promise<{ removed: number }> {
  return { removed: await deleteIdempotencyKeysBefore(db, nowIso(new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000))) };
}
