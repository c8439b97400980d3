import { css } from 'lit';
import { fieldStyles, componentBase, messageText, token } from '../../base/theme.styles.js';

export default [
  componentBase,
  fieldStyles,
  css`
    :host {
      display: inline-block;
    }
    :host([hide-button]) {
      display: contents;
    }
    .trigger {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 6px 12px;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      background: ${token('color-surface')};
    }
    .trigger:hover {
      background: ${token('color-surface-alt')};
    }
    dialog {
      width: min(420px, calc(100vw - 32px));
      max-height: min(560px, calc(100vh - 32px));
      padding: 0;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      box-shadow: var(--messaging-shadow, 0 8px 28px rgb(0 0 0 / 0.18));
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.3);
    }
    .panel {
      display: flex;
      flex-direction: column;
      gap: 8px;
      padding: ${token('spacing')};
    }
    header {
      display: flex;
      align-items: center;
      justify-content: space-between;
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
    }
    .preview {
      margin: 0;
      padding: 8px 10px;
      border-radius: ${token('radius-small')};
      background: ${token('color-surface-alt')};
      color: ${token('color-text-muted')};
      ${messageText}
      display: -webkit-box;
      -webkit-line-clamp: 3;
      -webkit-box-orient: vertical;
      overflow: hidden;
    }
    input {
      width: 100%;
    }
    .heading {
      margin: 4px 0 0;
      font-size: ${token('font-size-small')};
      color: ${token('color-text-muted')};
      text-transform: uppercase;
      letter-spacing: 0.04em;
    }
    ul {
      margin: 0;
      padding: 0;
      list-style: none;
      overflow-y: auto;
      max-height: 300px;
    }
    .target {
      display: block;
      width: 100%;
      padding: 8px 10px;
      border: 0;
      border-radius: ${token('radius-small')};
      background: transparent;
      text-align: start;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .target:hover,
    .target:focus-visible {
      background: ${token('color-surface-alt')};
    }
    .target:disabled {
      cursor: default;
      opacity: 0.6;
    }
    .status {
      margin: 0;
      color: ${token('color-text-muted')};
    }
    .error {
      margin: 0;
      color: ${token('color-danger')};
    }
    .actions {
      display: flex;
      justify-content: flex-end;
    }
    .done {
      padding: 6px 14px;
      border: 0;
      border-radius: ${token('radius-small')};
      background: ${token('color-primary')};
      color: ${token('color-on-primary')};
    }
  `,
];
