import { css } from 'lit';
import { columnHost, headerStyles, componentBase, token } from '../../base/theme.styles.js';

export default [
  componentBase,
  headerStyles,
  css`
    :host {
      ${columnHost}
      background: ${token('color-surface')};
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
    .heading .title {
      margin: 0;
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
