import { css } from 'lit';
import { componentBase } from '../../base/theme.styles.js';

export default [
  componentBase,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    .base {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      padding: var(--messaging-spacing, 12px);
    }
    ol {
      display: flex;
      flex-direction: column;
      gap: 2px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .notice {
      margin: 8px 0;
      text-align: center;
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
    }
    .message {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      max-width: 85%;
    }
    .message.first {
      margin-top: 10px;
    }
    .message.own {
      align-self: flex-end;
      align-items: flex-end;
    }
    .sender {
      margin: 0 4px 2px;
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
      font-weight: 600;
    }
    .bubble {
      padding: 7px 11px;
      border-radius: var(--messaging-radius, 12px);
      background: var(--messaging-color-bubble-other, #f1f3f6);
      color: var(--messaging-color-on-bubble-other, #14171c);
      /* Text content keeps the sender's line breaks and long words wrap. */
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.4;
    }
    .own .bubble {
      background: var(--messaging-color-bubble-own, #2563eb);
      color: var(--messaging-color-on-bubble-own, #fff);
    }
    .pending .bubble {
      opacity: 0.65;
    }
    .failed .bubble {
      outline: 1px solid var(--messaging-color-danger, #c4321c);
    }
    .deleted .bubble {
      font-style: italic;
      opacity: 0.7;
    }
    .meta {
      display: flex;
      gap: 6px;
      align-items: center;
      margin: 2px 4px 0;
      color: var(--messaging-color-text-muted, #5d6572);
      font-size: var(--messaging-font-size-small, 12px);
    }
    .failed .status {
      color: var(--messaging-color-danger, #c4321c);
    }
    .retry {
      padding: 0;
      border: 0;
      background: none;
      color: var(--messaging-color-primary, #2563eb);
      text-decoration: underline;
      font-size: inherit;
    }
  `,
];
