/**
 * What hangs off a message row, after the rows' own styles (message-list.styles.ts): the actions
 * button and its menu, confirmations and edit form, the reaction picker and reactions, the meta
 * line with read receipts, the unread marker and the jump-to-latest pill.
 */
import { css } from 'lit';
import { fieldBox, iconPill, token } from '../../base/theme.styles.js';

export default css`
  .more {
    flex: none;
    width: 28px;
    height: 28px;
    color: ${token('color-text-muted')};
    opacity: 0;
  }
  .message:hover .more,
  .message:focus-within .more,
  .more[aria-expanded='true'] {
    opacity: 1;
  }
  @media (hover: none) {
    .more {
      opacity: 1;
    }
  }
  .menu,
  .confirm,
  .edit {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px;
    margin-top: 4px;
    padding: 4px;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    box-shadow: var(--messaging-shadow, 0 4px 12px rgb(0 0 0 / 0.15));
  }
  .confirm span {
    padding: 0 6px;
  }
  .picker {
    display: flex;
  }
  .pick {
    width: 34px;
    height: 34px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    font-size: 18px;
  }
  .pick:hover,
  .pick[aria-pressed='true'] {
    background: ${token('color-surface-alt')};
  }
  .edit {
    flex-direction: column;
    align-items: stretch;
    width: 100%;
    min-width: 220px;
  }
  .edit textarea {
    min-height: 60px;
    padding: 6px 8px;
    border-radius: ${token('radius-small')};
    ${fieldBox}
    field-sizing: content;
    resize: none;
  }
  .edit-buttons {
    display: flex;
    justify-content: flex-end;
    gap: 4px;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-top: 3px;
  }
  .chip {
    padding: 1px 8px;
    border: 1px solid ${token('color-border')};
    border-radius: 999px;
    background: ${token('color-surface')};
    font-size: ${token('font-size-small')};
    line-height: 20px;
  }
  .chip.mine {
    border-color: ${token('color-primary')};
    background: ${token('color-surface-alt')};
    font-weight: 700;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    margin: 2px 4px 0;
    color: ${token('color-text-muted')};
    font-size: ${token('font-size-small')};
  }
  .agent {
    padding: 0 6px;
    border: 1px solid ${token('color-border')};
    border-radius: 999px;
  }
  .receipt {
    margin: 1px 4px 0;
    color: ${token('color-text-muted')};
    font-size: ${token('font-size-small')};
  }
  .readers {
    display: flex;
    align-items: center;
  }
  .readers .avatar {
    width: 16px;
    height: 16px;
    margin: 0 0 0 -3px;
    border: 1px solid ${token('color-surface')};
    font-size: 8px;
  }
  .more-readers {
    margin-left: 3px;
  }
  .day.unread {
    color: ${token('color-danger')};
  }
  .day.unread::before,
  .day.unread::after {
    border-color: ${token('color-danger')};
  }
  .pill {
    position: absolute;
    bottom: 10px;
    left: 50%;
    display: flex;
    gap: 4px;
    padding: 6px 8px 6px 14px;
    ${iconPill}
    background: ${token('color-primary')};
    color: ${token('color-on-primary')};
    box-shadow: var(--messaging-shadow, 0 4px 12px rgb(0 0 0 / 0.2));
    transform: translateX(-50%);
  }
  .pill svg {
    width: 16px;
    height: 16px;
  }
`;
