import { addDays, TIME_ZONE } from './dates.ts';

/**
 * Wall-clock time in Brussels, where people enter and read meeting times, and the UTC instants the
 * database stores. A meeting is planned at a Brussels date and time: converting through the offset
 * of that very date keeps it at 09:00 on the Sunday of a daylight-saving change, and a copied run's
 * meetings keep their wall-clock times across a change.
 */

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function brusselsParts(instant: number) {
  const parts = Object.fromEntries(partsFormatter.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** Milliseconds Brussels wall-clock time is ahead of UTC at `instant` (one or two hours). */
function brusselsOffset(instant: number): number {
  const p = brusselsParts(instant);
  const wallClock = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wallClock - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant (ISO-8601) of Brussels wall-clock `time` (`HH:MM`) on `date` (`YYYY-MM-DD`).
 * The offset is looked up twice because the first guess may fall on the other side of a
 * daylight-saving change. A time in the hour skipped in spring is read as summer time (02:30 → 03:30).
 */
export function brusselsInstant(date: string, time: string): string {
  const wallClock = Date.parse(`${date}T${time}:00.000Z`);
  const guess = wallClock - brusselsOffset(wallClock);
  return new Date(wallClock - brusselsOffset(guess)).toISOString();
}

/** The Brussels date (`YYYY-MM-DD`) and wall-clock time (`HH:MM`) of a UTC instant. */
export function brusselsWallClock(instant: string): { date: string; time: string } {
  const p = brusselsParts(Date.parse(instant));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The same Brussels wall-clock time `days` calendar days later (or earlier), as a UTC instant. */
export function shiftWallClock(instant: string, days: number): string {
  const { date, time } = brusselsWallClock(instant);
  return brusselsInstant(addDays(date, days), time);
}
