import { css, html, nothing, unsafeCSS, type TemplateResult } from 'lit';
import { token } from './theme.styles.js';
import { httpUrl } from '../safe-url.js';

/**
 * Initials: the first letter (or digit) of the first and of the last word that has one —
 * "Ada Lovelace" → "AL", "Lunch crew (renamed)" → "LR", never punctuation; "#" when there is none.
 */
export function initials(name: string): string {
  const firsts = name
    .split(/\s+/)
    .map((word) => /[\p{L}\p{N}]/u.exec(word)?.[0])
    .filter((letter): letter is string => letter !== undefined);
  const pick = (letter: string | undefined) => letter?.toLocaleUpperCase() ?? '';
  return pick(firsts[0]) + (firsts.length > 1 ? pick(firsts.at(-1)) : '') || '#';
}

/**
 * Avatar backgrounds, each dark enough for white initials (WCAG AA, at least 4.5:1) and distinct on
 * light and dark surfaces alike; `--messaging-color-avatar-0` … `-7` replace them.
 */
const AVATAR_COLORS = ['#b42318', '#b54708', '#027a48', '#0e7090', '#175cd3', '#5925dc', '#9e165f', '#475467'];

/** The same colour for one person (or room) everywhere and on every load: a hash of the id. */
export function avatarColor(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % AVATAR_COLORS.length;
}

/** An image that fails to load is hidden, uncovering the initials under it. */
function hideBroken(event: Event): void {
  (event.target as HTMLImageElement).hidden = true;
}

/**
 * A round avatar: the picture when `url` is an http(s) URL (never sending the host page as
 * referrer), else the initials on the colour of `key` (the person's or room's id). `extra` goes
 * inside (a presence dot). The picture is decorative (`alt=""`): the name is always written next to it.
 */
export function renderAvatar(
  name: string,
  url: string | null | undefined,
  key: string,
  extra: TemplateResult | typeof nothing = nothing,
) {
  const src = httpUrl(url);
  return html`<span class="avatar c${avatarColor(key)}" part="avatar"
    ><span aria-hidden="true">${initials(name)}</span>${
      src ? html`<img src=${src} alt="" referrerpolicy="no-referrer" loading="lazy" @error=${hideBroken} />` : nothing
    }${extra}</span
  >`;
}

export const avatarStyles = css`
  .avatar {
    position: relative;
    display: inline-grid;
    flex: none;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    color: #fff;
    font-size: ${token('font-size-small')};
    font-weight: 600;
  }
  /* A constant palette (no data from anywhere else), written as one rule per colour. */
  ${unsafeCSS(AVATAR_COLORS.map((color, i) => `.avatar.c${i}{background:var(--messaging-color-avatar-${i},${color})}`).join(''))}
  .avatar img {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    border-radius: 50%;
    object-fit: cover;
  }
  .presence {
    position: absolute;
    right: -1px;
    bottom: -1px;
    width: 12px;
    height: 12px;
    border: 2px solid ${token('color-surface')};
    border-radius: 50%;
    background: ${token('color-offline')};
  }
  .presence.online {
    background: ${token('color-online')};
  }
  .presence.away {
    background: ${token('color-away')};
  }
`;
