import { addDays, brusselsDate } from '../../domain/dates.ts';

/**
 * Calendar arithmetic for the demo data: meetings are planned on Brussels weekdays and wall-clock
 * times, then stored as UTC instants like everything else.
 */

export { brusselsInstant } from '../../domain/brussels-time.ts';

/** Day of the week of a date: 0 Monday … 6 Sunday. */
export function weekdayIndex(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export type Weekday = 0 | 1 | 2 | 3 | 4;

/** Easter Sunday of `year` (`YYYY-MM-DD`), by the anonymous Gregorian algorithm. */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

const FIXED_HOLIDAYS = ['01-01', '05-01', '07-21', '08-15', '11-01', '11-11', '12-25'];

/** Whether `date` is a Belgian public holiday, when no training organisation holds classes. */
export function isBelgianPublicHoliday(date: string): boolean {
  if (FIXED_HOLIDAYS.includes(date.slice(5))) return true;
  const easter = easterSunday(Number(date.slice(0, 4)));
  // Easter Monday, Ascension Day and Whit Monday.
  return [1, 39, 50].some((days) => addDays(easter, days) === date);
}

/**
 * A week grid around `now`: `day(week, weekday)` is the date of that weekday (0 Monday … 4 Friday)
 * in the week `week` weeks from the current Brussels week. Planning in whole weeks away from the
 * current one keeps week −1 entirely in the past and week +1 entirely in the future, whatever day
 * of the week the demo is created on. A public holiday moves to the nearest working day of the
 * same week (later first), so the weeks keep that promise.
 */
export function weekGrid(now: Date) {
  const today = brusselsDate(now);
  const monday = addDays(today, -weekdayIndex(today));
  const day = (week: number, weekday: Weekday): string => {
    const planned = addDays(monday, week * 7 + weekday);
    if (!isBelgianPublicHoliday(planned)) return planned;
    const candidates = [1, 2, 3, 4, -1, -2, -3, -4].filter((d) => weekday + d >= 0 && weekday + d <= 4).map((d) => addDays(planned, d));
    return candidates.find((date) => !isBelgianPublicHoliday(date)) ?? planned;
  };
  return { today, day };
}

/** `at` moved by whole minutes: spreads demo timestamps so lists sorted by time look natural. */
export function plusMinutes(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString();
}
