import { en } from './en.ts';
import { nl, type Messages } from './nl.ts';

export type Locale = 'nl' | 'en';
export type { Messages };

export const LOCALES: readonly Locale[] = ['nl', 'en'];

const dictionaries: Record<Locale, Messages> = { nl, en };

export function messages(locale: Locale): Messages {
  return dictionaries[locale];
}

export function isLocale(value: unknown): value is Locale {
  return value === 'nl' || value === 'en';
}

/**
 * The reader's language: their own setting, then the language cookie, then the browser's
 * Accept-Language, then Dutch.
 */
export function chooseLocale(options: {
  userSetting?: string | null | undefined;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}): Locale {
  if (isLocale(options.userSetting)) return options.userSetting;
  if (isLocale(options.cookie)) return options.cookie;
  return acceptedLocale(options.acceptLanguage) ?? 'nl';
}

/** The first of our languages that an Accept-Language header names (by its weights), if any. */
export function acceptedLocale(acceptLanguage: string | undefined): Locale | undefined {
  const accepted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', q] = part.trim().split(';q=');
      return { lang: tag.toLowerCase().slice(0, 2), q: q === undefined ? 1 : Number(q) };
    })
    .filter((a) => a.q > 0)
    .sort((a, b) => b.q - a.q);
  return accepted.find((a) => isLocale(a.lang))?.lang as Locale | undefined;
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * Remembers what a formatter made of a value: formatting with Intl costs a few microseconds, and a
 * page formats the same few values (points, meeting dates) dozens of times (bench B). The text
 * depends on nothing but the key, so sharing it between requests shares nothing of anyone's; the
 * memory is bounded by starting afresh when full.
 */
function memoised(format: (key: string) => string, size = 4000): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => {
    let text = known.get(key);
    if (text === undefined) {
      text = format(key);
      if (known.size >= size) known.clear();
      known.set(key, text);
    }
    return text;
  };
}

const pointsText = memoised((key) => {
  const locale = key.slice(0, 2) as Locale;
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'nl' ? 'nl-BE' : 'en-GB', { maximumFractionDigits: 2 });
    numberFormats.set(locale, f);
  }
  return f.format(Number(key.slice(3)));
});

/** A number of study points as the reader writes it (1,5 in Dutch, 1.5 in English). */
export function formatPoints(locale: Locale, points: number): string {
  // `${-0}` is "0", yet Intl writes -0 as "-0".
  return pointsText(`${locale}:${Object.is(points, -0) ? '-0' : points}`);
}

import { TIME_ZONE as TZ } from '../domain/dates.ts';

// Formatters are made once per locale and kind: constructing an Intl.DateTimeFormat with a time zone
// costs ~0.1 ms and, on Node 20, keeps ~30 KB of ICU memory that garbage collection never returns
// (measured by the benchmark: the server's memory grew by ~0.4 MB per participants page).
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: Locale, kind: 'date' | 'dateTime' | 'time'): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { timeZone: TZ, hour: '2-digit', minute: '2-digit' }
        : {
            timeZone: TZ,
            weekday: kind === 'dateTime' ? 'short' : undefined,
            day: 'numeric',
            month: 'short',
            year: 'numeric',
            ...(kind === 'dateTime' ? { hour: '2-digit', minute: '2-digit' } : {}),
          };
    f = new Intl.DateTimeFormat(locale === 'nl' ? 'nl-BE' : 'en-GB', options);
    dateFormats.set(key, f);
  }
  return f;
}

const dateText = memoised((key) => {
  const [locale, kind] = key.split(':', 2) as [Locale, 'date' | 'dateTime' | 'time'];
  const value = key.slice(locale.length + kind.length + 2);
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return dateFormat(locale, kind).format(date);
});

/** A date or instant as the reader reads it, in Brussels time. */
export function formatDate(locale: Locale, value: string, withTime = false): string {
  return dateText(`${locale}:${withTime ? 'dateTime' : 'date'}:${value}`);
}

/** A time of day (HH:MM) in Brussels. */
export function formatTime(locale: Locale, value: string): string {
  return dateText(`${locale}:time:${value}`);
}
