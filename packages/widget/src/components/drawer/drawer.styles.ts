import { css } from 'lit';
import { componentBase, themeTokens } from '../../base/theme.styles.js';

export default [
  themeTokens,
  componentBase,
  css`
    :host {
      /* The element itself takes no room in the host page; its parts are fixed-position. */
      display: contents;
    }
    /*
     * The host element is the one thing the page's styles reach (\`* { all: unset !important }\`
     * beats :host rules), so the top-level parts do not inherit from it: they restart from
     * initial values and take fonts and colours from the tokens (custom properties still
     * inherit). Zero specificity, so every rule below wins over this baseline.
     */
    :where(.fab, .panel) {
      all: initial;
      box-sizing: border-box;
      font-family: var(--messaging-font-family);
      font-size: var(--messaging-font-size);
      line-height: normal;
      color: var(--messaging-color-text);
    }
    .fab {
      position: fixed;
      right: var(--messaging-fab-offset);
      bottom: var(--messaging-fab-offset);
      z-index: var(--messaging-z-index);
      display: grid;
      place-items: center;
      width: var(--messaging-fab-size);
      height: var(--messaging-fab-size);
      padding: 0;
      border: 0;
      border-radius: 50%;
      background: var(--messaging-color-primary);
      color: var(--messaging-color-on-primary);
      box-shadow: var(--messaging-shadow);
    }
    .fab svg {
      width: 26px;
      height: 26px;
    }
    :host([open]) .fab {
      visibility: hidden;
    }
    .badge {
      position: absolute;
      top: -4px;
      right: -4px;
      min-width: 22px;
      padding: 2px 6px;
      border: 2px solid var(--messaging-color-surface);
      border-radius: 11px;
      background: var(--messaging-color-badge);
      color: var(--messaging-color-on-badge);
      font-size: var(--messaging-font-size-small);
      font-weight: 700;
      line-height: 14px;
    }
    .panel {
      position: fixed;
      top: 0;
      right: 0;
      bottom: 0;
      z-index: var(--messaging-z-index);
      display: flex;
      flex-direction: column;
      width: min(var(--messaging-drawer-width), 100vw);
      background: var(--messaging-color-surface);
      color: var(--messaging-color-text);
      box-shadow: var(--messaging-shadow);
      transform: translateX(100%);
      visibility: hidden;
      transition:
        transform var(--messaging-transition),
        visibility 0s linear 180ms;
    }
    /* Focus sentinels (see base/focus-trap.ts): focusable, but neither seen nor taking space. */
    .sentinel {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
    :host([open]) .panel {
      transform: none;
      visibility: visible;
      transition: transform var(--messaging-transition);
    }
    /* Phones: a full-screen sheet. */
    @media (max-width: 599.98px) {
      /*
       * The part of the page the on-screen keyboard leaves visible (the drawer tracks visualViewport),
       * so the composer stays above the keyboard; 100dvh until it is known.
       */
      .panel {
        top: var(--messaging-viewport-top, 0px);
        bottom: auto;
        left: 0;
        width: 100%;
        height: var(--messaging-viewport-height, 100dvh);
        box-shadow: none;
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .panel,
      :host([open]) .panel {
        transition: none;
      }
    }
    .header {
      display: flex;
      align-items: center;
      min-height: 56px;
      padding: 8px 8px 8px var(--messaging-spacing);
      border-bottom: 1px solid var(--messaging-color-border);
    }
    .title {
      flex: 1;
      margin: 0;
      font-size: 1.15em;
      font-weight: 700;
    }
    messaging-room-list,
    messaging-room-view,
    messaging-room-details {
      flex: 1;
    }
    .banner,
    .error {
      margin: 0;
      padding: 8px var(--messaging-spacing);
      font-size: var(--messaging-font-size-small);
    }
    .banner {
      background: var(--messaging-color-surface-alt);
      color: var(--messaging-color-text-muted);
    }
    .error {
      color: var(--messaging-color-danger);
    }
  `,
];
