import type { FrameData } from './room-streams.js';
import type { Timers } from './timers.js';

/** What the expiry asks of its socket (the connection itself, so an idle socket carries no extra closures). */
export interface TokenExpiryHost {
  /** The token just expired: hold deliveries and tell the client. */
  tokenExpired(): void;
  /** The grace period ended without a new token. */
  tokenNotRenewed(): void;
  /** More frames were held than the socket may keep. */
  tooManyHeld(): void;
}

/**
 * An open socket's token lifetime: at `exp` the socket enters a grace period
 * in which frames to the client are held, until a new `auth` renews the token
 * (the held frames then flow) or the grace period ends.
 */
export class TokenExpiry {
  private expiryTimer: NodeJS.Timeout | null = null;
  /** Set while the token has expired and a new `auth` is awaited. */
  private grace: { timer: NodeJS.Timeout; held: FrameData[] } | null = null;

  constructor(
    private readonly timers: Timers,
    private readonly limits: { tokenGraceMs: number; maxPendingEvents: number },
    private readonly host: TokenExpiryHost,
  ) {}

  get isExpired(): boolean {
    return this.grace !== null;
  }

  /** Watches a (new) token that expires at `exp` (seconds since the epoch). */
  watch(exp: number): void {
    if (this.expiryTimer) this.timers.clear(this.expiryTimer);
    this.expiryTimer = this.timers.after(exp * 1000 - Date.now(), () => {
      this.expiryTimer = null;
      const timer = this.timers.after(this.limits.tokenGraceMs, () => {
        if (this.grace) this.host.tokenNotRenewed();
      });
      this.grace = { timer, held: [] };
      this.host.tokenExpired();
    });
  }

  /** Keeps a frame for after the renewal. */
  hold(text: FrameData): void {
    const held = this.grace!.held;
    held.push(text);
    if (held.length > this.limits.maxPendingEvents) this.host.tooManyHeld();
  }

  /** A new token arrived: ends the grace period and answers the frames held meanwhile, in order. */
  renewed(exp: number): FrameData[] {
    const held = this.grace?.held ?? [];
    if (this.grace) this.timers.clear(this.grace.timer);
    this.grace = null;
    this.watch(exp);
    return held;
  }
}
