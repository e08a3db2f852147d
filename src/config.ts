import { z } from 'zod';
import { isSchedule } from './jobs/cron-pattern.ts';

/**
 * Every setting Presentia reads from the environment, parsed once at start-up.
 * This is the only module that touches `process.env`; a wrong value stops the process with a clear message.
 */
const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  /** TCP port of the web server. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Address to listen on. */
  HOST: z.string().default('0.0.0.0'),
  /** Folder for the embedded SQLite database and uploaded files. */
  DATA_DIR: z.string().default('./data'),
  /** `postgres://…` to run on PostgreSQL instead of the embedded SQLite file. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  /** Size of the PostgreSQL connection pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Fill a new, empty database with demo data at start-up. */
  SEED_DEMO: booleanish.default(true),
  /** Public base URL, used in certificate QR codes and links (e.g. https://presentia.example.org). */
  PUBLIC_URL: z.string().url().optional(),
  /** Trust X-Forwarded-Proto/-For from a reverse proxy (HTTPS detection, client address). */
  TRUST_PROXY: booleanish.default(false),
  /** Log level for the structured JSON log. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Hours a login session lasts at most. */
  SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  /** Minutes of inactivity after which a session ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(120),
  /**
   * Server processes answering requests (node:cluster). 1, the default, serves from this one process:
   * the least memory and the fastest start. More raise throughput on SQLite (docs/performance.md).
   */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Requests one API token may make per minute, counted by each server process (docs/api.md). */
  API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /**
   * When the study-term sweep runs, as a cron pattern in Brussels time (default every night at 02:15);
   * `off` runs it only from the command line.
   */
  SWEEP_SCHEDULE: z
    .string()
    .default('15 2 * * *')
    .refine((v) => v === 'off' || isSchedule(v), 'SWEEP_SCHEDULE must be a cron pattern (e.g. "15 2 * * *") or off'),
  /** The SMTP server that sends e-mail; without it, e-mail is written to the log instead of sent. */
  SMTP_HOST: z.string().min(1).optional(),
  /** The SMTP server's port (587 for STARTTLS submission, 465 for implicit TLS). */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** Connect with TLS from the start (port 465); otherwise STARTTLS is used when the server offers it. */
  SMTP_SECURE: booleanish.default(false),
  /** User name and password for the SMTP server, when it asks for them. */
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The sender of every e-mail, e.g. `Presentia <no-reply@example.org>`. */
  MAIL_FROM: z.string().min(3).default('Presentia <no-reply@presentia.invalid>'),
  /**
   * How often each server sends the e-mail waiting in the outbox, as a cron pattern (with seconds:
   * default every 10 seconds); `off` sends only from the command line (`send-mail`).
   */
  MAIL_SCHEDULE: z
    .string()
    .default('*/10 * * * * *')
    .refine((v) => v === 'off' || isSchedule(v), 'MAIL_SCHEDULE must be a cron pattern (e.g. "*/10 * * * * *") or off'),
  /**
   * How often each server posts the webhook events waiting in the outbox, as a cron pattern (with
   * seconds: default every 10 seconds); `off` posts only from the command line (`send-webhooks`).
   */
  WEBHOOK_SCHEDULE: z
    .string()
    .default('*/10 * * * * *')
    .refine((v) => v === 'off' || isSchedule(v), 'WEBHOOK_SCHEDULE must be a cron pattern (e.g. "*/10 * * * * *") or off'),
});

export type Config = z.infer<typeof schema>;

/** Parses an environment (by default the process's) into a Config, or throws with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}
