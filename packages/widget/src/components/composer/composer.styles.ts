import { css } from 'lit';
import { componentBase } from '../../base/theme.styles.js';

export default [
  componentBase,
  css`
    :host {
      display: block;
    }
    .base {
      display: flex;
      align-items: flex-end;
      gap: 8px;
      padding: 8px var(--messaging-spacing, 12px);
      border-top: 1px solid var(--messaging-color-border, #dfe3e8);
      background: var(--messaging-color-surface, #fff);
    }
    textarea {
      flex: 1;
      min-height: 40px;
      max-height: 160px;
      /* Grows with its content without script-set heights (no style attributes under CSP). */
      field-sizing: content;
      resize: none;
      padding: 9px 12px;
      border: 1px solid var(--messaging-color-border, #dfe3e8);
      border-radius: var(--messaging-radius, 12px);
      background: var(--messaging-color-surface, #fff);
      color: inherit;
      font: inherit;
      line-height: 1.4;
    }
    textarea::placeholder {
      color: var(--messaging-color-text-muted, #5d6572);
    }
    .send {
      flex: none;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      background: var(--messaging-color-primary, #2563eb);
      color: var(--messaging-color-on-primary, #fff);
    }
    .send:disabled {
      opacity: 0.45;
      cursor: default;
    }
  `,
];
