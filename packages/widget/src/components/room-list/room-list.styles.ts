import { css } from 'lit';
import { avatarStyles } from '../../base/avatar.js';
import { componentBase, token } from '../../base/theme.styles.js';

export default [
  componentBase,
  avatarStyles,
  css`
    :host {
      display: block;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .room {
      display: grid;
      grid-template-columns: auto 1fr auto;
      grid-template-areas: 'avatar name time' 'avatar preview unread';
      column-gap: 10px;
      align-items: center;
      width: 100%;
      padding: 10px ${token('spacing')};
      border: 0;
      border-bottom: 1px solid ${token('color-border')};
      background: transparent;
      text-align: start;
    }
    .room:hover {
      background: ${token('color-surface-alt')};
    }
    /* Inside the row: the list scrolls, and a ring drawn outside it would be cut off at its edges. */
    .room:focus-visible {
      outline-offset: -3px;
    }
    .avatar {
      grid-area: avatar;
      width: 40px;
      height: 40px;
    }
    .name,
    .preview {
      min-width: 0;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .name {
      grid-area: name;
      font-weight: 600;
    }
    .preview {
      grid-area: preview;
      color: ${token('color-text-muted')};
    }
    .unread-room .preview {
      color: ${token('color-text')};
    }
    .time {
      grid-area: time;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
    }
    .unread {
      grid-area: unread;
      justify-self: end;
      min-width: 20px;
      padding: 1px 6px;
      border-radius: 10px;
      background: ${token('color-badge')};
      color: ${token('color-on-badge')};
      font-size: ${token('font-size-small')};
      font-weight: 600;
      text-align: center;
    }
    .notice {
      margin: 24px ${token('spacing')};
      text-align: center;
      color: ${token('color-text-muted')};
    }
  `,
];
