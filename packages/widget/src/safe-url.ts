/**
 * The normalised URL when `value` is an absolute http(s) URL, else null. The only gate for
 * anything that becomes an `href` or `src`: `javascript:`, `data:`, `vbscript:` and every
 * other scheme (in any case, encoding or with whitespace, which `new URL` normalises) are refused.
 */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
