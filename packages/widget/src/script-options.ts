import type { MountOptions } from './mount.js';

/** Settings from the script tag, or null when it asks not to mount. */
export function optionsFromScript(script: HTMLScriptElement): MountOptions | null {
  const data = script.dataset;
  if (data.autoMount === 'false') return null;
  const server = data.server || (script.src ? new URL(script.src, document.baseURI).origin : undefined);
  const options: MountOptions = {};
  if (server) options.server = server;
  if (data.tokenUrl) options.tokenUrl = data.tokenUrl;
  if (data.theme === 'light' || data.theme === 'dark') options.theme = data.theme;
  if (data.locale) options.locale = data.locale;
  return options;
}
