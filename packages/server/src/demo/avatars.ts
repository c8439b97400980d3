import type { DemoUserId } from './seed.js';

/** Each demo person's colours: background and figure. */
const PALETTE: Record<DemoUserId, [string, string]> = {
  alice: ['#7c3aed', '#ddd6fe'],
  bob: ['#0f766e', '#99f6e4'],
  carol: ['#c2410c', '#fed7aa'],
};

/** A demo person's avatar: a figure on their colour, drawn here so the demo needs no image files or network. */
export function demoAvatar(id: DemoUserId): string {
  const [background, figure] = PALETTE[id];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${background}"/><circle cx="32" cy="25" r="12" fill="${figure}"/><path d="M10 64c2-14 11-21 22-21s20 7 22 21z" fill="${figure}"/></svg>`;
}

/** The page's favicon: a speech bubble. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M6 5h20a4 4 0 0 1 4 4v11a4 4 0 0 1-4 4H14l-7 5v-5H6a4 4 0 0 1-4-4V9a4 4 0 0 1 4-4z" fill="#2563eb"/><circle cx="10" cy="14.5" r="2" fill="#fff"/><circle cx="16" cy="14.5" r="2" fill="#fff"/><circle cx="22" cy="14.5" r="2" fill="#fff"/></svg>`;
