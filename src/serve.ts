import cluster, { type Worker } from 'node:cluster';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { migrateToLatest, openStore, type Store } from './db/index.ts';
import { scheduleJobs } from './jobs/schedule.ts';
import { createMailer, mailBaseUrl } from './services/mailer.ts';

/*
 * Start-up and shutdown of the web server, in one process (WORKERS=1) or as a cluster: a primary
 * process that migrates and seeds the database once, then starts WORKERS server processes that share
 * the port (node:cluster hands each new connection to the next worker in turn). One Node process
 * renders pages on one core only; bench B measures what the cluster adds. Workers keep nothing that
 * another worker would need: sessions, login attempts (the rate limit) and all data live in the
 * database, which SQLite (WAL, transactions BEGIN IMMEDIATE, a busy timeout) and PostgreSQL share
 * between processes.
 */

/** A worker that stops this many times within a minute is not started again: the whole server stops. */
const MAX_RESTARTS_PER_MINUTE = 5;
/** How long workers get to finish at shutdown before they are killed. */
const SHUTDOWN_GRACE_MS = 10_000;

function openConfiguredStore(config: Config): Store {
  return openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
}

/** Brings the schema up to date and, if asked, fills an empty database with the demo organisation. */
async function prepareDatabase(store: Store, config: Config, logger: Logger): Promise<void> {
  const applied = await migrateToLatest(store.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  if (config.SEED_DEMO) {
    const { seedDemoIfEmpty } = await import('./services/demo-data.ts');
    const accounts = await seedDemoIfEmpty(store.db);
    if (accounts) {
      console.log('\nDemo data created. Sign in with any of these accounts (password: presentia):');
      for (const a of accounts) console.log(`  ${a.role.padEnd(13)} ${a.email}`);
      console.log('');
    }
  }
}

/**
 * Serves the app on the store until SIGTERM or SIGINT, then stops taking requests, closes the store
 * and exits. The app is loaded here, not at the top, so that a cluster's primary never loads it.
 */
async function serveStore(store: Store, config: Config, logger: Logger, onListening: (port: number) => void): Promise<void> {
  const { createApp } = await import('./app.tsx');
  const app = createApp({ store, config, logger });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => onListening(info.port));
  // Every server process schedules the nightly jobs; each job lets one process do the work.
  const stopJobs = scheduleJobs(store, config.DATA_DIR, logger, config.SWEEP_SCHEDULE, {
    schedule: config.MAIL_SCHEDULE,
    mailer: createMailer(config, logger),
    baseUrl: mailBaseUrl(config),
  }, config.WEBHOOK_SCHEDULE);
  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stopJobs();
    server.close();
    await store.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The whole server in this one process (WORKERS=1). */
export async function runSingleProcess(config: Config, logger: Logger): Promise<void> {
  const store = openConfiguredStore(config);
  await prepareDatabase(store, config, logger);
  await serveStore(store, config, logger, (port) => {
    logger.info({ port, database: store.kind, location: store.location }, 'Presentia is listening');
    console.log(`Presentia runs on http://localhost:${port} (${store.kind})`);
  });
}

/** What a worker tells the primary once it has loaded the app, and the primary's answer once the database is ready. */
const LOADED = 'presentia:loaded';
const START = 'presentia:start';

/**
 * A worker of the cluster. It loads the app while the primary prepares the database, and opens the
 * database and takes requests only once the primary says it is ready.
 */
export async function runWorker(config: Config, logger: Logger): Promise<void> {
  const started = new Promise<void>((resolve) => {
    const listener = (message: unknown) => {
      if (message !== START) return;
      process.off('message', listener);
      resolve();
    };
    process.on('message', listener);
  });
  await import('./app.tsx');
  process.send!(LOADED);
  await started;
  await serveStore(openConfiguredStore(config), config, logger, () => {});
}

/**
 * The primary of the cluster: prepares the database once, starts the workers, starts another when
 * one stops unexpectedly, and at SIGTERM or SIGINT stops them all and exits when they have.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const workers = new Set<Worker>();
  const loaded = new Set<Worker>();
  const restarts: number[] = [];
  let databaseReady = false;
  let stopping = false;
  let announced = false;
  let exitCode = 0;
  let kind = '';
  let location = '';
  let exitWhenPrepared = async () => process.exit(exitCode);

  const start = () => {
    const worker = cluster.fork();
    workers.add(worker);
    worker.on('message', (message) => {
      if (message !== LOADED) return;
      loaded.add(worker);
      if (databaseReady) worker.send(START);
    });
  };

  cluster.on('listening', (_worker, address) => {
    if (announced) return;
    announced = true;
    logger.info({ port: address.port, database: kind, location, workers: config.WORKERS }, 'Presentia is listening');
    console.log(`Presentia runs on http://localhost:${address.port} (${kind}, ${config.WORKERS} workers)`);
  });

  cluster.on('exit', (worker, code, signal) => {
    workers.delete(worker);
    loaded.delete(worker);
    // A worker told to stop (a terminal's Ctrl-C or a supervisor signals every process at once) is
    // not replaced: the primary's own signal handler is about to stop the rest.
    const toldToStop = code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';
    if (stopping || toldToStop) {
      if (workers.size === 0) void exitWhenPrepared();
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length >= MAX_RESTARTS_PER_MINUTE) {
      logger.fatal({ worker: worker.id, code, signal }, 'workers keep stopping; stopping the server');
      stop('workers failing', 1);
      return;
    }
    logger.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'worker stopped unexpectedly; starting another');
    start();
  });

  function stop(reason: string, code: number) {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info({ signal: reason }, 'shutting down');
    if (workers.size === 0) void exitWhenPrepared();
    for (const worker of workers) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of workers) worker.process.kill('SIGKILL');
      exitCode = 1;
      void exitWhenPrepared();
    }, SHUTDOWN_GRACE_MS).unref();
  }

  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));

  // The workers load the app (the slow part of a start) while the database is migrated and seeded here.
  for (let i = 0; i < config.WORKERS; i += 1) start();
  const store = openConfiguredStore(config);
  ({ kind, location } = store);
  const prepared = prepareDatabase(store, config, logger).finally(() => store.close());
  // A stop during a migration waits for it: the primary never exits with the schema half-changed.
  exitWhenPrepared = async () => {
    await prepared.catch(() => undefined);
    process.exit(exitCode);
  };
  try {
    await prepared;
  } catch (error) {
    logger.fatal({ err: error }, 'could not prepare the database');
    stop('database not ready', 1);
    return;
  }
  if (stopping) return;
  databaseReady = true;
  for (const worker of loaded) worker.send(START);
}

/** Starts the server as configured: one process, or a cluster of WORKERS. */
export async function startServer(config: Config, logger: Logger): Promise<void> {
  if (cluster.isWorker) await runWorker(config, logger.child({ worker: cluster.worker!.id }));
  else if (config.WORKERS > 1) await runPrimary(config, logger);
  else await runSingleProcess(config, logger);
}
