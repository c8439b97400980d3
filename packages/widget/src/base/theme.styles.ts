import { css } from 'lit';

/*
 * Design tokens: every colour and size the widget uses is a `--messaging-*` custom property.
 * They are set on the drawer's :host, so a host page overrides them with an ordinary rule
 * (`messaging-drawer { --messaging-color-primary: rebeccapurple }`) — outer rules beat :host.
 * Custom properties inherit through shadow roots, so the inner components read the same
 * values. Light by default; dark under `prefers-color-scheme: dark` unless `theme="light"`,
 * and always with `theme="dark"`.
 */
const lightTokens = css`
  --messaging-color-primary: #2563eb;
  --messaging-color-on-primary: #ffffff;
  --messaging-color-surface: #ffffff;
  --messaging-color-surface-alt: #f1f3f6;
  --messaging-color-text: #14171c;
  --messaging-color-text-muted: #5d6572;
  --messaging-color-border: #dfe3e8;
  --messaging-color-bubble-own: var(--messaging-color-primary);
  --messaging-color-on-bubble-own: var(--messaging-color-on-primary);
  --messaging-color-bubble-other: var(--messaging-color-surface-alt);
  --messaging-color-on-bubble-other: var(--messaging-color-text);
  --messaging-color-badge: #d92d20;
  --messaging-color-on-badge: #ffffff;
  --messaging-color-danger: #c4321c;
  --messaging-color-online: #12a150;
  --messaging-color-away: #d08700;
  --messaging-color-offline: #8a929e;
  --messaging-color-focus-ring: #2563eb;
  --messaging-shadow: 0 8px 28px rgb(0 0 0 / 0.18);
  --messaging-backdrop: rgb(0 0 0 / 0);
  color-scheme: light;
`;

const darkTokens = css`
  --messaging-color-primary: #5b8def;
  --messaging-color-on-primary: #0b1220;
  --messaging-color-surface: #17191e;
  --messaging-color-surface-alt: #24272e;
  --messaging-color-text: #eceef2;
  --messaging-color-text-muted: #a0a7b4;
  --messaging-color-border: #33373f;
  --messaging-color-badge: #f04438;
  --messaging-color-danger: #ff7a66;
  --messaging-color-focus-ring: #8fb3ff;
  --messaging-color-offline: #747c89;
  --messaging-shadow: 0 8px 28px rgb(0 0 0 / 0.55);
  color-scheme: dark;
`;

export const themeTokens = css`
  :host {
    --messaging-font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    --messaging-font-size: 14px;
    --messaging-font-size-small: 12px;
    --messaging-radius: 12px;
    --messaging-radius-small: 6px;
    --messaging-spacing: 12px;
    --messaging-drawer-width: 380px;
    --messaging-fab-size: 56px;
    --messaging-fab-offset: 20px;
    --messaging-z-index: 2147483000;
    --messaging-transition: 180ms ease-out;
    ${lightTokens}
  }
  :host([theme='dark']) {
    ${darkTokens}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkTokens}
    }
  }
`;

/** Shared by every component: box model, fonts and a visible focus ring. */
export const componentBase = css`
  :host {
    box-sizing: border-box;
    font-family: var(--messaging-font-family, system-ui, sans-serif);
    font-size: var(--messaging-font-size, 14px);
    color: var(--messaging-color-text, #14171c);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 2px solid var(--messaging-color-focus-ring, #2563eb);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
  }
  .icon-button:hover {
    background: var(--messaging-color-surface-alt, #f1f3f6);
  }
  svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
`;
