/**
 * Whether a browser Origin may call the API or open the socket.
 * `allowed` holds exact origins or '*'. `host` is the request's Host header:
 * an Origin naming this server itself (same origin) is always allowed.
 */
export function isOriginAllowed(allowed: readonly string[], origin: string, host: string | null): boolean {
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
