import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { loadConfig } from './config.ts';
import { migrateToLatest, openStore } from './db/index.ts';
import { createLogger } from './logger.ts';
import { seedDemoIfEmpty } from './services/demo-data.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const store = openStore({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });

const applied = await migrateToLatest(store.db);
if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
if (config.SEED_DEMO) {
  const accounts = await seedDemoIfEmpty(store.db);
  if (accounts) {
    console.log('\nDemo data created. Sign in with any of these accounts (password: presentia):');
    for (const a of accounts) console.log(`  ${a.role.padEnd(13)} ${a.email}`);
    console.log('');
  }
}

const app = createApp({ store, config, logger });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  logger.info({ port: info.port, database: store.kind, location: store.location }, 'Presentia is listening');
  console.log(`Presentia runs on http://localhost:${info.port} (${store.kind})`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  await store.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
