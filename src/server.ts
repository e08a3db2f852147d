import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './serve.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
startServer(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'the server could not start');
  process.exit(1);
});
