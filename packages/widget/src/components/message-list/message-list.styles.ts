/** The message list: its rows, day separators, bubbles and send states (what hangs off a row: around-message.styles.ts). */
import { css } from 'lit';
import aroundMessageStyles from './around-message.styles.js';
import { actionStyles, columnHost, componentBase, messageText, token } from '../../base/theme.styles.js';

export default [
  componentBase,
  actionStyles,
  css`
    :host {
      position: relative;
      ${columnHost}
    }
    .base {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
      /* The scroll-follow controller keeps the row being read in place itself. */
      overflow-anchor: none;
      padding: ${token('spacing')};
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
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
    }
    .notice.error {
      margin: 0;
      padding: 6px ${token('spacing')};
      color: ${token('color-danger')};
    }
    .day {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 14px 0 4px;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-weight: 600;
    }
    .day::before,
    .day::after {
      content: '';
      flex: 1;
      border-top: 1px solid ${token('color-border')};
    }
    .day span::first-letter {
      text-transform: uppercase;
    }
    .day span {
      display: inline-block;
    }
    .message {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      max-width: 88%;
    }
    .message.first {
      margin-top: 10px;
    }
    .message .avatar,
    .avatar-space {
      width: 28px;
      height: 28px;
      flex: none;
    }
    .message .avatar {
      margin-top: 18px;
      font-size: 11px;
    }
    .body {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      min-width: 0;
    }
    .message.own {
      align-self: flex-end;
    }
    .own .body {
      align-items: flex-end;
    }
    .line {
      display: flex;
      align-items: center;
      gap: 2px;
      max-width: 100%;
    }
    .own .line {
      flex-direction: row-reverse;
    }
    .system {
      align-self: center;
      max-width: 92%;
      margin: 8px 0;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      text-align: center;
    }
    .system-text {
      padding: 3px 10px;
      border-radius: 999px;
      background: ${token('color-surface-alt')};
      overflow-wrap: anywhere;
    }
    .sender {
      margin: 0 4px 2px;
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-weight: 600;
    }
    .bubble {
      min-width: 0;
      padding: 7px 11px;
      border-radius: ${token('radius')};
      background: ${token('color-bubble-other')};
      color: ${token('color-on-bubble-other')};
      ${messageText}
      line-height: 1.4;
    }
    .own .bubble {
      background: ${token('color-bubble-own')};
      color: ${token('color-on-bubble-own')};
    }
    .bubble a {
      color: inherit;
      text-decoration: underline;
    }
    .card,
    .own .card {
      display: flex;
      flex-direction: column;
      gap: 4px;
      border: 1px solid ${token('color-border')};
      border-inline-start: 4px solid ${token('color-primary')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
    }
    .card-label {
      color: ${token('color-text-muted')};
      font-size: ${token('font-size-small')};
      font-weight: 700;
    }
    .card-title {
      font-weight: 700;
    }
    .bubble.jumbo,
    .own .bubble.jumbo {
      padding: 0 2px;
      background: none;
      font-size: 2.4em;
      line-height: 1.25;
    }
    /* In a run, the time of every message but the last shows only on hover or focus (no layout shift). */
    .hover-time {
      flex: none;
      padding: 0 4px;
      color: ${token('color-text-muted')};
      font-size: 11px;
      visibility: hidden;
    }
    .message:hover .hover-time,
    .message:focus-within .hover-time {
      visibility: visible;
    }
    .unsent {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: flex-end;
      gap: 4px;
      margin: 3px 4px 0;
      font-size: ${token('font-size-small')};
    }
    .unsent .status {
      flex-basis: 100%;
      color: ${token('color-danger')};
      text-align: end;
    }
    .unsent .action {
      padding: 2px 8px;
    }
    .pending .bubble {
      opacity: 0.65;
    }
    .failed .bubble {
      outline: 1px solid ${token('color-danger')};
    }
    .deleted .bubble {
      font-style: italic;
      opacity: 0.75;
    }
  `,
  aroundMessageStyles,
];
