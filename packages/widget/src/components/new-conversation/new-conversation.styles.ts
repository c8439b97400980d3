import { css } from 'lit';
import { avatarStyles } from '../../base/avatar.js';
import {
  columnHost,
  fieldGroup,
  fieldStyles,
  headerStyles,
  iconPill,
  componentBase,
  token,
} from '../../base/theme.styles.js';

export default [
  componentBase,
  avatarStyles,
  headerStyles,
  fieldStyles,
  css`
    :host {
      ${columnHost}
    }
    .form {
      ${fieldGroup}
    }
    .suggested {
      margin: ${token('spacing')} ${token('spacing')} 4px;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-weight: 600;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .chosen {
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
    }
    .chip {
      display: inline-flex;
      gap: 2px;
      padding: 2px 4px 2px 10px;
      ${iconPill}
      background: ${token('color-surface-alt')};
    }
    .chip svg {
      width: 14px;
      height: 14px;
    }
    .create {
      padding: 9px 12px;
      border: 0;
      border-radius: ${token('radius-small')};
      background: ${token('color-primary')};
      color: ${token('color-on-primary')};
      font-weight: 600;
    }
    .create:disabled {
      opacity: 0.45;
      cursor: default;
    }
    .results {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
    }
    .person {
      display: flex;
      align-items: center;
      gap: 10px;
      width: 100%;
      padding: 8px ${token('spacing')};
      border: 0;
      background: transparent;
      text-align: start;
    }
    .person:hover {
      background: ${token('color-surface-alt')};
    }
    .person[aria-pressed='true'] {
      background: ${token('color-surface-alt')};
      font-weight: 700;
    }
    .person[aria-pressed='true']::after {
      content: '✓';
      margin-inline-start: auto;
      color: ${token('color-primary')};
    }
    .notice {
      margin: 12px ${token('spacing')};
      color: ${token('color-text-muted')};
      text-align: center;
    }
    .notice.error {
      margin: 0;
      color: ${token('color-danger')};
    }
  `,
];
