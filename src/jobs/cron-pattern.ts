import { Cron } from 'croner';
import { TIME_ZONE } from '../domain/dates.ts';

/** Whether `pattern` is a schedule croner understands (checked when the configuration is read). */
export function isSchedule(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true, timezone: TIME_ZONE }).stop();
    return true;
  } catch {
    return false;
  }
}
