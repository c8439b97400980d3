import { css, html, nothing, type TemplateResult } from 'lit';
import { token } from './theme.styles.js';
import { httpUrl } from '../safe-url.js';

/** Up to two letters: the first of the first and of the last word ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined) => (word ? Array.from(word)[0]!.toUpperCase() : '');
  return first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '') || '#';
}

/** An image that fails to load is hidden, uncovering the initials under it. */
function hideBroken(event: Event): void {
  (event.target as HTMLImageElement).hidden = true;
}

/**
 * A round avatar: the picture when `url` is an http(s) URL (never sending the host page as
 * referrer), else the initials. `extra` goes inside (a presence dot). The picture is
 * decorative (`alt=""`): the name is always written next to it.
 */
export function renderAvatar(
  name: string,
  url: string | null | undefined,
  extra: TemplateResult | typeof nothing = nothing,
) {
  const src = httpUrl(url);
  return html`<span class="avatar" part="avatar"
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
    background: ${token('color-border')};
    color: ${token('color-text')};
    font-size: ${token('font-size-small')};
    font-weight: 600;
  }
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
