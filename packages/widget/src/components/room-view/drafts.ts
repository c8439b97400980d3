/**
 * What the user was writing in each room, so going back to the list, opening another room or
 * reloading the page loses nothing: kept in memory and in `sessionStorage` (this tab only, gone when
 * it closes; a storage that throws — private mode, a full quota, a sandboxed frame — leaves memory).
 * Keys carry the user, so two accounts in one tab never see each other's drafts (room ids are UUIDs).
 */
export class Drafts {
  private readonly byRoom = new Map<string, string>();

  constructor(private readonly scope: string) {}

  private key(roomId: string): string {
    return `parley-draft|${this.scope}|${roomId}`;
  }

  get(roomId: string): string {
    const kept = this.byRoom.get(roomId);
    if (kept !== undefined) return kept;
    try {
      return sessionStorage.getItem(this.key(roomId)) ?? '';
    } catch {
      return '';
    }
  }

  set(roomId: string, text: string): void {
    this.byRoom.set(roomId, text);
    try {
      if (text) sessionStorage.setItem(this.key(roomId), text);
      else sessionStorage.removeItem(this.key(roomId));
    } catch {
      // Memory still has it.
    }
  }
}

const byScope = new Map<string, Drafts>();

/** One `Drafts` per user, shared by every room view on the page. */
export function draftsFor(userId: string): Drafts {
  let drafts = byScope.get(userId);
  if (!drafts) byScope.set(userId, (drafts = new Drafts(userId)));
  return drafts;
}
