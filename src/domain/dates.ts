/** The organisation's time zone: every date a person sees or a rule counts is a Brussels date. */
export const TIME_ZONE = 'Europe/Brussels';

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Brussels calendar date (`YYYY-MM-DD`) of an instant. */
export function brusselsDate(instant: Date | string): string {
  return dateFormatter.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** Whole calendar days from date `from` to date `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The date `days` after `date` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
