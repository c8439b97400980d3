/** What the host app gives the SDK: a function returning a fresh JWT for the signed-in user. */
export type GetToken = () => string | Promise<string>;

/** Refresh this long before `exp`, so a request never leaves with a token about to expire. */
const REFRESH_MARGIN_MS = 30_000;

/** A claim of the token's payload, decoded, never verified (the server verifies; this only schedules and keys). */
function claim(token: string, name: 'exp' | 'sub'): unknown {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return (JSON.parse(json) as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}

function decodeExp(token: string): number | null {
  const exp = claim(token, 'exp');
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** Whom the token names (`sub`, the user's id), or null. */
export function tokenSubject(token: string): string | null {
  const sub = claim(token, 'sub');
  return typeof sub === 'string' && sub ? sub : null;
}

/** Caches the host's token and asks for a new one when it nears expiry or the server rejects it. */
export class TokenProvider {
  private token: string | null = null;
  private expiresAt: number | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly getToken: GetToken,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for at least the refresh margin. */
  async get(): Promise<string> {
    if (this.token && (this.expiresAt === null || this.expiresAt - this.now() > REFRESH_MARGIN_MS)) return this.token;
    return this.refresh();
  }

  /** Forget the cached token without fetching one: the next `get()` asks the host. */
  invalidate(): void {
    this.token = null;
    this.expiresAt = null;
  }

  /** Forget the cached token (the server said it expired) and fetch a new one; concurrent callers share one request. */
  refresh(): Promise<string> {
    // Called at once, not after a microtask: the request is then on the network before whatever the
    // caller's page does next (the widget's first render), and a throwing getToken still rejects.
    this.inFlight ??= (async () => this.getToken())()
      .then((token) => {
        this.token = token;
        this.expiresAt = decodeExp(token);
        return token;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  /** Milliseconds until the current token should be replaced, or null when unknown. */
  msUntilRefresh(): number | null {
    return this.expiresAt === null ? null : Math.max(0, this.expiresAt - REFRESH_MARGIN_MS - this.now());
  }
}
