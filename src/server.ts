import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './serve.ts';

const config = loadConfig();
await startServer(config, createLogger(config.LOG_LEVEL));
