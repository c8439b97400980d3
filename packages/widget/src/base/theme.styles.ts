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

/**
 * Tokens whose default is another token, so that a host overriding the primary colour (say)
 * recolours its own bubbles too; their LIGHT values are only the components' fallbacks.
 */
const DEFAULTS_FROM: Partial<Record<ThemeToken, ThemeToken>> = {
  'color-bubble-own': 'color-primary',
  'color-on-bubble-own': 'color-on-primary',
  'color-bubble-other': 'color-surface-alt',
  'color-on-bubble-other': 'color-text',
};

/** Every LIGHT token declared on the drawer's :host, from the one table. */
const lightDefaults = unsafeCSS(
  (Object.keys(LIGHT) as ThemeToken[])
    .map((name) => {
      const from = DEFAULTS_FROM[name];
      return `--messaging-${name}: ${from ? `var(--messaging-${from})` : LIGHT[name]};`;
    })
    .join('\n'),
);

const lightTokens = css`
  ${lightDefaults}
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

// Shared by several views that load apart from widget.js: kept here, in widget.js, so that the lazy
// chunks import them from it (a module only lazy chunks shared would be a chunk of its own).

/** The header bar every view of the drawer opens with: back button, title, actions at the end. */
export const headerStyles = css`
  .header {
    display: flex;
    align-items: center;
    gap: 4px;
    min-height: 56px;
    padding: 8px;
    border-bottom: 1px solid ${token('color-border')};
  }
  .title {
    flex: 1;
    min-width: 0;
    margin: 0 4px;
    overflow: hidden;
    font-size: 1.1em;
    font-weight: 600;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
`;

// Declarations (no selector) that several rules spell alike, each interpolated into its rules.

/** The box of a text field (inputs, the composer, the edit form); its padding and radius are each field's own. */
export const fieldBox = css`
  border: 1px solid ${token('color-border')};
  background: ${token('color-surface')};
  color: inherit;
  font: inherit;
`;

/** The :host of a view that fills the rest of the drawer's panel: a column that may shrink. */
export const columnHost = css`
  display: flex;
  flex-direction: column;
  min-height: 0;
`;

/** A group of form fields in a column, ruled off from what follows (new conversation, details). */
export const fieldGroup = css`
  display: flex;
  flex-direction: column;
  gap: 8px;
  padding: ${token('spacing')};
  border-bottom: 1px solid ${token('color-border')};
`;

/** Message text: keeps the sender's line breaks, and long words wrap. */
export const messageText = css`
  white-space: pre-wrap;
  overflow-wrap: anywhere;
`;

/** A borderless pill with an icon beside its label, on one centred line (the jump pill, chosen people). */
export const iconPill = css`
  align-items: center;
  border: 0;
  border-radius: 999px;
`;

/** Text inputs, the same in every view (search boxes, names). */
export const fieldStyles = css`
  input {
    padding: 8px 10px;
    border-radius: ${token('radius-small')};
    ${fieldBox}
  }
`;

/** Text buttons: `action`, with `primary` for the one to press and `danger` for what removes something. */
export const actionStyles = css`
  .action {
    padding: 5px 10px;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius-small')};
    background: ${token('color-surface')};
  }
  .action.danger {
    color: ${token('color-danger')};
  }
  .action.primary {
    border-color: ${token('color-primary')};
    background: ${token('color-primary')};
    color: ${token('color-on-primary')};
  }
`;
