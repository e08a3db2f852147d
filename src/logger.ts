import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout; each request line carries its request id. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'presentia' } });
}
