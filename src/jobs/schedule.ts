import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { Store } from '../db/index.ts';
import { TIME_ZONE } from '../domain/dates.ts';
import type { Mailer } from '../services/mailer.ts';
import { sendDueMail } from './send-mail.ts';
import { sendDueWebhooks } from './send-webhooks.ts';
import { runStudyTermSweep } from './study-term-sweep.ts';
import { SWEEP_STAGED_PROOFS_SCHEDULE, sweepStagedProofs } from './sweep-staged-proofs.ts';
import { SWEEP_IDEMPOTENCY_KEYS_SCHEDULE, sweepIdempotencyKeys } from './sweep-idempotency-keys.ts';

/** The e-mail job's settings: how often it runs (`off`: never), how it sends, and the public address its links use. */
export interface MailJob {
  schedule: string;
  mailer: Mailer;
  baseUrl: string;
}

/**
 * Starts the server's background jobs, on cron patterns read in Brussels time: the study-term sweep
 * on `sweepSchedule`, daily the clean-up of abandoned proof uploads and of the API's kept idempotent
 * answers, when given, the sending of the e-mail outbox on `mail.schedule`, and the posting of webhook
 * events on `webhookSchedule` (default off here; the server passes WEBHOOK_SCHEDULE). A run still busy when
 * the next is due is not started twice in this process (`protect`); every job is idempotent, the
 * study-term sweep lets one of several servers do the work, and outbox messages are claimed one server
 * at a time. Returns a function that stops them.
 */
export function scheduleJobs(store: Store, dataDir: string, logger: Logger, sweepSchedule: string, mail?: MailJob, webhookSchedule = 'off'): () => void {
  const jobs: Cron[] = [
    new Cron(SWEEP_STAGED_PROOFS_SCHEDULE, { timezone: TIME_ZONE, protect: true, name: 'sweep-staged-proofs' }, async () => {
      try {
        logger.info({ job: 'sweep-staged-proofs', ...(await sweepStagedProofs(store.db, dataDir)) }, 'job done');
      } catch (error) {
        logger.error({ job: 'sweep-staged-proofs', err: error }, 'job failed');
      }
    }),
    new Cron(SWEEP_IDEMPOTENCY_KEYS_SCHEDULE, { timezone: TIME_ZONE, protect: true, name: 'sweep-idempotency-keys' }, async () => {
      try {
        logger.info({ job: 'sweep-idempotency-keys', ...(await sweepIdempotencyKeys(store.db)) }, 'job done');
      } catch (error) {
        logger.error({ job: 'sweep-idempotency-keys', err: error }, 'job failed');
      }
    }),
  ];
  if (sweepSchedule !== 'off') {
    const sweep = new Cron(sweepSchedule, { timezone: TIME_ZONE, protect: true, name: 'study-term-sweep' }, async () => {
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
    logger.info({ job: 'study-term-sweep', schedule: sweepSchedule, next: sweep.nextRun()?.toISOString() }, 'study-term sweep scheduled');
    jobs.push(sweep);
  }
  if (mail && mail.schedule !== 'off') {
    jobs.push(
      new Cron(mail.schedule, { timezone: TIME_ZONE, protect: true, name: 'send-mail' }, async () => {
        try {
          const outcome = await sendDueMail(store.db, { mailer: mail.mailer, baseUrl: mail.baseUrl });
          if (outcome.sent + outcome.skipped + outcome.retrying + outcome.failed + outcome.lost > 0) logger.info({ job: 'send-mail', ...outcome }, 'job done');
        } catch (error) {
          logger.error({ job: 'send-mail', err: error }, 'job failed');
        }
      }),
    );
    logger.info({ job: 'send-mail', schedule: mail.schedule, target: mail.mailer.target }, 'e-mail outbox scheduled');
  }
  if (webhookSchedule !== 'off') {
    jobs.push(
      new Cron(webhookSchedule, { timezone: TIME_ZONE, protect: true, name: 'send-webhooks' }, async () => {
        try {
          const outcome = await sendDueWebhooks(store.db);
          if (outcome.sent + outcome.skipped + outcome.retrying + outcome.failed + outcome.lost > 0) logger.info({ job: 'send-webhooks', ...outcome }, 'job done');
        } catch (error) {
          logger.error({ job: 'send-webhooks', err: error }, 'job failed');
        }
      }),
    );
    logger.info({ job: 'send-webhooks', schedule: webhookSchedule }, 'webhook outbox scheduled');
  }
  return () => {
    for (const job of jobs) job.stop();
    mail?.mailer.close();
  };
}
