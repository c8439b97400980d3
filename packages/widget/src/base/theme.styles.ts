import { css, unsafeCSS, type CSSResult } from 'lit';

/*
 * Design tokens: every colour and size the widget uses is a `--messaging-*` custom property.
 * They are set on the drawer's :host, so a host page overrides them with an ordinary rule
 * (`messaging-drawer { --messaging-color-primary: rebeccapurple }`) — outer rules beat :host.
 * Custom properties inherit through shadow roots, so the inner components read the same
 * values. Light by default; dark under `prefers-color-scheme: dark` unless `theme="light"`,
 * and always with `theme="dark"`.
 */
/**
 * The light theme's values: the drawer's defaults, and each component's fallback where it is used
 * outside a drawer (no tokens set above it).
 */
const LIGHT = {
  'font-family': "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  'font-size': '14px',
  'font-size-small': '12px',
  radius: '12px',
  'radius-small': '6px',
  spacing: '12px',
  'color-primary': '#2563eb',
  'color-on-primary': '#ffffff',
  'color-surface': '#ffffff',
  'color-surface-alt': '#f1f3f6',
  'color-text': '#14171c',
  'color-text-muted': '#5d6572',
  'color-border': '#dfe3e8',
  'color-bubble-own': '#2563eb',
  'color-on-bubble-own': '#ffffff',
  'color-bubble-other': '#f1f3f6',
  'color-on-bubble-other': '#14171c',
  'color-badge': '#d92d20',
  'color-on-badge': '#ffffff',
  'color-danger': '#c4321c',
  'color-online': '#12a150',
  'color-away': '#d08700',
  'color-offline': '#8a929e',
  'color-focus-ring': '#2563eb',
} as const;

export type ThemeToken = keyof typeof LIGHT;

/** `var(--messaging-<name>, <its light value>)`: a token read with the one fallback the theme defines. */
export function token(name: ThemeToken): CSSResult {
  return unsafeCSS(`var(--messaging-${name}, ${LIGHT[name]})`);
}

const lightTokens = css`
  --messaging-color-primary: ${unsafeCSS(LIGHT['color-primary'])};
  --messaging-color-on-primary: ${unsafeCSS(LIGHT['color-on-primary'])};
  --messaging-color-surface: ${unsafeCSS(LIGHT['color-surface'])};
  --messaging-color-surface-alt: ${unsafeCSS(LIGHT['color-surface-alt'])};
  --messaging-color-text: ${unsafeCSS(LIGHT['color-text'])};
  --messaging-color-text-muted: ${unsafeCSS(LIGHT['color-text-muted'])};
  --messaging-color-border: ${unsafeCSS(LIGHT['color-border'])};
  --messaging-color-bubble-own: var(--messaging-color-primary);
  --messaging-color-on-bubble-own: var(--messaging-color-on-primary);
  --messaging-color-bubble-other: var(--messaging-color-surface-alt);
  --messaging-color-on-bubble-other: var(--messaging-color-text);
  --messaging-color-badge: ${unsafeCSS(LIGHT['color-badge'])};
  --messaging-color-on-badge: ${unsafeCSS(LIGHT['color-on-badge'])};
  --messaging-color-danger: ${unsafeCSS(LIGHT['color-danger'])};
  --messaging-color-online: ${unsafeCSS(LIGHT['color-online'])};
  --messaging-color-away: ${unsafeCSS(LIGHT['color-away'])};
  --messaging-color-offline: ${unsafeCSS(LIGHT['color-offline'])};
  --messaging-color-focus-ring: ${unsafeCSS(LIGHT['color-focus-ring'])};
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
    --messaging-font-family: ${unsafeCSS(LIGHT['font-family'])};
    --messaging-font-size: ${unsafeCSS(LIGHT['font-size'])};
    --messaging-font-size-small: ${unsafeCSS(LIGHT['font-size-small'])};
    --messaging-radius: ${unsafeCSS(LIGHT.radius)};
    --messaging-radius-small: ${unsafeCSS(LIGHT['radius-small'])};
    --messaging-spacing: ${unsafeCSS(LIGHT.spacing)};
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
    font-family: ${token('font-family')};
    font-size: ${token('font-size')};
    color: ${token('color-text')};
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
    outline: 2px solid ${token('color-focus-ring')};
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
    background: ${token('color-surface-alt')};
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
