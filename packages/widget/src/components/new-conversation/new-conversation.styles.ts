import { css } from 'lit';
import { avatarStyles } from '../../base/avatar.js';
import { componentBase } from '../../base/theme.styles.js';

export default [
  componentBase,
  avatarStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .header {
      display: flex;
      align-items: center;
      gap: 4px;
      min-height: 56px;
      padding: 8px;
      border-bottom: 1px solid var(--messaging-color-border, #dfe3e8);
    }
    .title {
      flex: 1;
      margin: 0 4px;
      font-size: 1.1em;
      font-weight: 600;
    }
    .form {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: var(--messaging-spacing, 12px);
      border-bottom: 1px solid var(--messaging-color-border, #dfe3e8);
    }
    input {
      padding: 9px 12px;
      border: 1px solid var(--messaging-color-border, #dfe3e8);
      border-radius: var(--messaging-radius-small, 6px);
      background: var(--messaging-color-surface, #fff);
      color: inherit;
      font: inherit;
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
      align-items: center;
      gap: 2px;
      padding: 2px 4px 2px 10px;
      border: 0;
      border-radius: 999px;
      background: var(--messaging-color-surface-alt, #f1f3f6);
    }
    .chip svg {
      width: 14px;
      height: 14px;
    }
    .create {
      padding: 9px 12px;
      border: 0;
      border-radius: var(--messaging-radius-small, 6px);
      background: var(--messaging-color-primary, #2563eb);
      color: var(--messaging-color-on-primary, #fff);
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
      padding: 8px var(--messaging-spacing, 12px);
      border: 0;
      background: transparent;
      text-align: start;
    }
    .person:hover {
      background: var(--messaging-color-surface-alt, #f1f3f6);
    }
    .person[aria-pressed='true'] {
      background: var(--messaging-color-surface-alt, #f1f3f6);
      font-weight: 700;
    }
    .person[aria-pressed='true']::after {
      content: '✓';
      margin-inline-start: auto;
      color: var(--messaging-color-primary, #2563eb);
    }
    .notice {
      margin: 12px var(--messaging-spacing, 12px);
      color: var(--messaging-color-text-muted, #5d6572);
      text-align: center;
    }
    .notice.error {
      margin: 0;
      color: var(--messaging-color-danger, #c4321c);
    }
  `,
];
