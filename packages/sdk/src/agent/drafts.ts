import { randomId } from '../uuid.js';

/** A message the assistant prepared and the user has not confirmed yet. */
export interface Draft {
  id: string;
  room: { id: string; display_name: string; type: 'direct' | 'group' };
  /** Who will read it: the other person of a direct room, or the group's name. */
  recipient: string;
  content: string;
  expiresAt: number;
}

/**
 * Drafts held in one agent session: each expires after `ttlMs` and can be taken
 * (confirmed) once. They live in memory on purpose: a draft is a question to
 * the user in front of this session, not state worth keeping.
 */
export class DraftStore {
  private readonly drafts = new Map<string, Draft>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  create(draft: Omit<Draft, 'id' | 'expiresAt'>): Draft {
    this.forgetExpired();
    const created: Draft = { ...draft, id: randomId(), expiresAt: this.now() + this.ttlMs };
    this.drafts.set(created.id, created);
    return created;
  }

  /** Removes and returns the draft; `expired` once its time is up, `missing` if unknown or already used. */
  take(id: string): Draft | 'expired' | 'missing' {
    const draft = this.drafts.get(id);
    if (!draft) return 'missing';
    this.drafts.delete(id);
    return draft.expiresAt <= this.now() ? 'expired' : draft;
  }

  /** Puts a taken draft back (its send failed for a reason worth retrying); keeps its original expiry. */
  restore(draft: Draft): void {
    this.drafts.set(draft.id, draft);
  }

  /** Long-expired drafts go; recently expired ones stay a while so `take()` can say "expired", not "unknown". */
  private forgetExpired(): void {
    const now = this.now();
    for (const [id, draft] of this.drafts) if (draft.expiresAt + this.ttlMs <= now) this.drafts.delete(id);
  }
}
