import { css } from 'lit';
import { avatarStyles } from '../../base/avatar.js';
import {
  actionStyles,
  columnHost,
  fieldGroup,
  fieldStyles,
  headerStyles,
  componentBase,
  token,
} from '../../base/theme.styles.js';

export default [
  componentBase,
  avatarStyles,
  headerStyles,
  fieldStyles,
  actionStyles,
  css`
    :host {
      ${columnHost}
      background: ${token('color-surface')};
    }
    .body {
      flex: 1;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    .section {
      ${fieldGroup}
    }
    label,
    h3 {
      margin: 0;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-weight: 600;
    }
    .row {
      display: flex;
      gap: 8px;
    }
    input {
      flex: 1;
      min-width: 0;
    }
    .section > .action.danger {
      align-self: flex-start;
    }
    .switch-row {
      flex-direction: row;
      align-items: center;
      justify-content: space-between;
    }
    .switch-row small {
      display: block;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
    }
    .switch {
      flex: none;
      position: relative;
      width: 40px;
      height: 24px;
      border-radius: 12px;
      background: ${token('color-border')};
      transition: background var(--messaging-transition);
    }
    .switch::after {
      content: '';
      position: absolute;
      top: 3px;
      left: 3px;
      width: 18px;
      height: 18px;
      border-radius: 50%;
      background: #fff;
      transition: transform var(--messaging-transition);
    }
    .switch[aria-checked='true'] {
      background: ${token('color-primary')};
    }
    .switch[aria-checked='true']::after {
      transform: translateX(16px);
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .member {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 10px;
      padding: 6px 0;
    }
    .who {
      display: flex;
      flex: 1;
      flex-direction: column;
      min-width: 0;
    }
    .name {
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .presence-text {
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
    }
    .candidate {
      display: flex;
      align-items: center;
      gap: 10px;
      width: 100%;
      padding: 6px 4px;
      border: 0;
      border-radius: ${token('radius-small')};
      background: transparent;
      text-align: start;
    }
    .candidate:hover {
      background: ${token('color-surface-alt')};
    }
    .confirm {
      display: flex;
      flex-basis: 100%;
      flex-wrap: wrap;
      align-items: center;
      gap: 6px;
      font-size: ${token('font-size-small')};
    }
    .notice {
      margin: 8px ${token('spacing')};
    }
    .error {
      color: ${token('color-danger')};
    }
  `,
];
