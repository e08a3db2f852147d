import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Db } from '../db/index.ts';
import { SWEEP_STAGED_PROOFS_SCHEDULE, sweepStagedProofs } from './sweep-staged-proofs.ts';

/**
 * The background jobs of a server process, on their croner schedules; returns a function that stops
 * them. Every job is idempotent, so the processes of a cluster may each run it.
 */
export function scheduleJobs(db: Db, dataDir: string, logger: Logger): () => void {
  const jobs = [
    new Cron(SWEEP_STAGED_PROOFS_SCHEDULE, { name: 'sweep-staged-proofs', protect: true }, async () => {
      try {
        logger.info({ job: 'sweep-staged-proofs', ...(await sweepStagedProofs(db, dataDir)) }, 'job done');
      } catch (error) {
        logger.error({ job: 'sweep-staged-proofs', err: error }, 'job failed');
      }
    }),
  ];
  return () => {
    for (const job of jobs) job.stop();
  };
}
