/**
 * A roving tabindex's keys (WAI-ARIA APG): ArrowDown/ArrowUp to the next or previous item, Home and End
 * to the first and last. Moves focus when the event came from one of `items`; answers whether it did.
 */
export function moveFocus(event: KeyboardEvent, items: readonly HTMLElement[]): boolean {
  const at = items.indexOf(event.composedPath()[0] as HTMLElement);
  if (at < 0) return false;
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[event.key];
  if (next === undefined) return false;
  event.preventDefault();
  items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
  return true;
}
