import type { Kysely } from 'kysely';
import { runExclusively } from '../db/exclusive.ts';
import { newId, nowIso, type Database } from '../db/index.ts';
import { brusselsDate } from '../domain/dates.ts';
import { SWEEPABLE_STATUSES } from '../domain/study-term.ts';
import { expireStudyTerms } from '../repositories/study-term.ts';
import { hasActiveWebhook, queueWebhookEvents } from '../repositories/webhooks.ts';

/** The sweep's name: the advisory lock that lets one server at a time run it. */
export const STUDY_TERM_SWEEP = 'study-term-sweep';

export type SweepOutcome = { kind: 'done'; changed: number; today: string } | { kind: 'busy' };

/**
 * The study-term sweep: every enrolment in an open status whose study term has passed becomes
 * Studietermijn verstreken, with one history row each (source system), in one transaction of two
 * set-based statements (and a third for the webhook events of those changes, when a subscription
 * wants them). Idempotent: a second run finds nothing left to change. Final statuses are
 * never touched (R8). When another server is running it on the same PostgreSQL database at this
 * moment, this one does nothing and says so (`busy`).
 */
export async function runStudyTermSweep(db: Kysely<Database>, now: Date = new Date()): Promise<SweepOutcome> {
  const today = brusselsDate(now);
  const outcome = await runExclusively(db, STUDY_TERM_SWEEP, async (trx) => {
    const idPrefix = newId().slice(0, 16);
    const changed = await expireStudyTerms(trx, { today, at: nowIso(now), statuses: SWEEPABLE_STATUSES, idPrefix });
    // Its status changes raise webhook events like any other, set-based from the rows it wrote.
    if (changed > 0 && (await hasActiveWebhook(trx))) await queueWebhookEvents(trx, { idPrefix });
    return changed;
  });
  return outcome.ran ? { kind: 'done', changed: outcome.value, today } : { kind: 'busy' };
}
