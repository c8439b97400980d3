import { css } from 'lit';
import { avatarStyles } from '../../base/avatar.js';
import { componentBase } from '../../base/theme.styles.js';

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
      padding: 10px var(--messaging-spacing, 12px);
      border: 0;
      border-bottom: 1px solid var(--messaging-color-border, #dfe3e8);
      background: transparent;
      text-align: start;
    }
    .room:hover {
      background: var(--messaging-color-surface-alt, #f1f3f6);
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
      color: var(--messaging-color-text-muted, #5d6572);
    }
    .unread-room .preview {
      color: var(--messaging-color-text, #14171c);
    }
    .time {
      grid-area: time;
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
    }
    .unread {
      grid-area: unread;
      justify-self: end;
      min-width: 20px;
      padding: 1px 6px;
      border-radius: 10px;
      background: var(--messaging-color-badge, #d92d20);
      color: var(--messaging-color-on-badge, #fff);
      font-size: var(--messaging-font-size-small, 12px);
      font-weight: 600;
      text-align: center;
    }
    .notice {
      margin: 24px var(--messaging-spacing, 12px);
      text-align: center;
      color: var(--messaging-color-text-muted, #5d6572);
    }
  `,
];
