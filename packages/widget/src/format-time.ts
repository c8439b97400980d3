/**
 * Message and room times through `Intl.DateTimeFormat` in the drawer's `locale` (default:
 * the browser's). Formatters are cached: building one costs far more than formatting.
 */
import { afterNextPaint } from './base/after-paint.js';

const cache = new Map<string, Intl.DateTimeFormat>();

const cacheKey = (locale: string | undefined, options: Intl.DateTimeFormatOptions) =>
  `${locale ?? ''}|${JSON.stringify(options)}`;

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = cacheKey(locale, options);
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options);
    } catch {
      // An invalid locale tag from the host must not break rendering.
      f = new Intl.DateTimeFormat(undefined, options);
    }
    cache.set(key, f);
  }
  return f;
}

const SHORT_TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const FULL_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

/** The list formats being built, per locale (`''`: the browser's). */
const building = new Map<string, Promise<void>>();

/**
 * Whether the room list's time formats for `locale` are built. The first formatter of a page costs
 * tens of milliseconds (the engine loads the locale's data), so the list's first paint shows names
 * and previews at once and its times a frame later (`prepareListTimes`), rather than all of it late.
 */
export function listTimesReady(locale?: string): boolean {
  // Whoever built them: the message list formats with the same two.
  return cache.has(cacheKey(locale, SHORT_TIME)) && cache.has(cacheKey(locale, FULL_TIME));
}

/** Builds the room list's time formats for `locale` just after the next paint; resolves once built. */
export function prepareListTimes(locale?: string): Promise<void> {
  const key = locale ?? '';
  let done = building.get(key);
  if (!done) {
    done = afterNextPaint().then(() => {
      formatter(locale, SHORT_TIME);
      formatter(locale, FULL_TIME);
    });
    building.set(key, done);
  }
  return done;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Time of day for today, day and month within the year, a full date before that. */
export function formatShortTime(iso: string, locale?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (sameDay(date, now)) return formatter(locale, SHORT_TIME).format(date);
  if (date.getFullYear() === now.getFullYear())
    return formatter(locale, { month: 'short', day: 'numeric' }).format(date);
  return formatter(locale, { dateStyle: 'medium' }).format(date);
}

/** The full date and time, for a `<time>` element's tooltip. */
export function formatFullTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : formatter(locale, FULL_TIME).format(date);
}

/** The calendar day of a date in the local time zone, as a comparable key. */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function relativeFormatter(locale: string | undefined): Intl.RelativeTimeFormat {
  try {
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  } catch {
    return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  }
}

/** A day separator's label: "today", "yesterday", else the weekday and date. */
export function formatDay(iso: string, locale?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const midnight = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(date) - midnight(now)) / 86_400_000);
  if (days === 0 || days === -1) return relativeFormatter(locale).format(days, 'day');
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', month: 'long', day: 'numeric' };
  if (date.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return formatter(locale, options).format(date);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday", "now": how long ago `iso` was, in the largest fitting unit. */
export function formatRelative(iso: string, locale?: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relativeFormatter(locale).format(Math.round(seconds / size), unit);
  }
  return relativeFormatter(locale).format(0, 'second');
}
