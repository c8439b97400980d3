import { css } from 'lit';
import { componentBase, fieldBox, token } from '../../base/theme.styles.js';

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
      padding: 8px ${token('spacing')};
      border-top: 1px solid ${token('color-border')};
      background: ${token('color-surface')};
    }
    textarea {
      flex: 1;
      min-height: 40px;
      max-height: 160px;
      /* Grows with its content without script-set heights (no style attributes under CSP). */
      field-sizing: content;
      resize: none;
      padding: 9px 12px;
      border-radius: ${token('radius')};
      ${fieldBox}
      line-height: 1.4;
    }
    textarea::placeholder {
      color: ${token('color-text-muted')};
    }
    .send {
      flex: none;
      width: 40px;
      height: 40px;
      border-radius: 50%;
      background: ${token('color-primary')};
      color: ${token('color-on-primary')};
    }
    .counter {
      margin: 0;
      padding: 4px ${token('spacing')} 0;
      border-top: 1px solid ${token('color-border')};
      font-size: ${token('font-size-small')};
      color: ${token('color-text-muted')};
      text-align: end;
    }
    .counter.over {
      color: ${token('color-danger')};
      font-weight: 600;
    }
    .counter + .base {
      border-top: none;
    }
    .send:disabled {
      opacity: 0.45;
      cursor: default;
    }
  `,
];
