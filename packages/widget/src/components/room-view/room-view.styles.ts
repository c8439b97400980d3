import { css } from 'lit';
import { componentBase } from '../../base/theme.styles.js';

export default [
  componentBase,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: var(--messaging-color-surface, #fff);
    }
    .header {
      display: flex;
      align-items: center;
      gap: 4px;
      min-height: 56px;
      padding: 8px;
      border-bottom: 1px solid var(--messaging-color-border, #dfe3e8);
    }
    .heading {
      flex: 1;
      min-width: 0;
      margin: 0 4px;
    }
    .subtitle {
      margin: 0;
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
    }
    .title {
      margin: 0;
      overflow: hidden;
      font-size: 1.1em;
      font-weight: 600;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    messaging-message-list {
      flex: 1;
    }
    .typing {
      min-height: 1.5em;
      margin: 0;
      padding: 0 var(--messaging-spacing, 12px);
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
      font-style: italic;
    }
  `,
];
