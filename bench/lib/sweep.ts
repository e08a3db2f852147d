/**
 * D: the study-term sweep (`runStudyTermSweep`, the job the server runs nightly) over the dataset's
 * enrolments, of which one in ten is made to expire: 100,000 of 1,000,000 on the large data. Each
 * sample prepares and sweeps inside one transaction that is then rolled back, so the dataset stays as
 * generated and every sample sweeps the same rows; only the sweep itself is timed.
 */
import type { Store } from '../../src/db/index.ts';
import { addDays, brusselsDate } from '../../src/domain/dates.ts';
import { SWEEPABLE_STATUSES } from '../../src/domain/study-term.ts';
import { runStudyTermSweep } from '../../src/jobs/study-term-sweep.ts';
import { summarize, type Summary } from './stats.ts';
import type { Counts } from './inprocess.ts';

export interface SweepResult {
  summary: Summary;
  enrolments: number;
  expired: number;
}

class RollBack extends Error {}

export async function measureSweep(store: Store, counts: Counts): Promise<SweepResult> {
  const now = new Date();
  const today = brusselsDate(now);
  const total = Number((await store.db.selectFrom('enrolments').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const open = Number(
    (await store.db.selectFrom('enrolments').select((eb) => eb.fn.countAll().as('n')).where('status', 'in', [...SWEEPABLE_STATUSES]).executeTakeFirstOrThrow()).n,
  );
  const expired = Math.round(total / 10);
  if (open < expired) throw new Error(`D: only ${open} open enrolments, ${expired} needed`);
  const samples: number[] = [];
  for (let i = 0; i < counts.warmup + counts.runs; i += 1) {
    let ms = 0;
    await store.db
      .transaction()
      .execute(async (trx) => {
        // No open enrolment's term has passed, then exactly `expired` of them (the first by id) have.
        await trx.updateTable('enrolments').set({ term_ends_on: '2999-12-31' }).where('status', 'in', [...SWEEPABLE_STATUSES]).where('term_ends_on', '<', today).execute();
        const chosen = trx.selectFrom('enrolments').select('id').where('status', 'in', [...SWEEPABLE_STATUSES]).orderBy('id').limit(expired);
        await trx.updateTable('enrolments').set({ term_ends_on: addDays(today, -1) }).where('id', 'in', chosen).execute();
        const started = performance.now();
        const outcome = await runStudyTermSweep(trx, now);
        ms = performance.now() - started;
        if (outcome.kind !== 'done' || outcome.changed !== expired) throw new Error(`D: the sweep changed ${JSON.stringify(outcome)}, not ${expired}`);
        throw new RollBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollBack)) throw error;
      });
    if (i >= counts.warmup) samples.push(ms);
  }
  return { summary: summarize(samples), enrolments: total, expired };
}
