import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Store } from '../db/index.ts';
import { TIME_ZONE } from '../domain/dates.ts';
import { runStudyTermSweep } from './study-term-sweep.ts';

/**
 * Starts the server's background jobs: the study-term sweep on `sweepSchedule` (a cron pattern read in
 * Brussels time). A run still busy when the next is due is not started twice in this process
 * (`protect`); several servers each schedule it and the sweep itself lets one do the work. Returns
 * a function that stops the schedule.
 */
export function scheduleJobs(store: Store, logger: Logger, sweepSchedule: string): () => void {
  const job = new Cron(sweepSchedule, { timezone: TIME_ZONE, protect: true, name: 'study-term-sweep' }, async () => {
    const started = performance.now();
    try {
      const outcome = await runStudyTermSweep(store.db);
      const ms = Math.round(performance.now() - started);
      if (outcome.kind === 'busy') logger.info({ job: 'study-term-sweep', ms }, 'study-term sweep left to another server');
      else logger.info({ job: 'study-term-sweep', changed: outcome.changed, today: outcome.today, ms }, 'study-term sweep done');
    } catch (error) {
      logger.error({ job: 'study-term-sweep', err: error }, 'study-term sweep failed');
    }
  });
  logger.info({ job: 'study-term-sweep', schedule: sweepSchedule, next: job.nextRun()?.toISOString() }, 'study-term sweep scheduled');
  return () => job.stop();
}
