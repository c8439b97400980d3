/**
 * Message and room times through `Intl.DateTimeFormat` in the drawer's `locale` (default:
 * the browser's). Formatters are cached: building one costs far more than formatting.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
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

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Time of day for today, day and month within the year, a full date before that. */
export function formatShortTime(iso: string, locale?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  if (sameDay(date, now)) return formatter(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
  if (date.getFullYear() === now.getFullYear()) return formatter(locale, { month: 'short', day: 'numeric' }).format(date);
  return formatter(locale, { dateStyle: 'medium' }).format(date);
}

/** The full date and time, for a `<time>` element's tooltip. */
export function formatFullTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : formatter(locale, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}
