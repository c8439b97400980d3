import { css } from 'lit';
import { componentBase, token } from '../../base/theme.styles.js';

export default [
  componentBase,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
      background: ${token('color-surface')};
    }
    .header {
      display: flex;
      align-items: center;
      gap: 4px;
      min-height: 56px;
      padding: 8px;
      border-bottom: 1px solid ${token('color-border')};
    }
    .heading {
      flex: 1;
      min-width: 0;
      margin: 0 4px;
    }
    .subtitle {
      margin: 0;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
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
      padding: 0 ${token('spacing')};
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-style: italic;
    }
  `,
];
