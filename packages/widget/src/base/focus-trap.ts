/** What Tab can stop at (the browser's own list, less what is disabled or taken out of the order). */
const TABBABLE =
  'a[href],button:not([disabled]),input:not([disabled]),textarea:not([disabled]),select:not([disabled]),[tabindex]:not([tabindex="-1"])';

/**
 * The elements Tab visits inside `root`, in order, through shadow roots and slots (the flat tree,
 * which is the order focus moves in): our components nest three shadow roots deep and the drawer
 * slots its close button into the room view's header.
 */
export function tabbables(root: ParentNode): HTMLElement[] {
  const found: HTMLElement[] = [];
  const visit = (node: Element) => {
    if (node instanceof HTMLElement && (node.inert || node.hidden)) return;
    if (node instanceof HTMLElement && node.matches(TABBABLE) && node.tabIndex >= 0 && node.getClientRects().length > 0)
      found.push(node);
    if (node instanceof HTMLSlotElement) {
      for (const assigned of node.assignedElements({ flatten: true })) visit(assigned);
      return;
    }
    for (const child of (node.shadowRoot ?? node).children) visit(child);
  };
  for (const child of root.children) visit(child);
  return found;
}

/**
 * Keeps Tab inside an open dialog that is not modal to the mouse (the drawer: the page stays usable
 * beside it, but the keyboard must not wander behind a full-screen sheet). Two focusable sentinels
 * frame the dialog's content; reaching one by Tab sends focus round to the other end.
 */
export function wrapFocus(event: FocusEvent, container: ParentNode, sentinel: 'start' | 'end'): void {
  const inside = tabbables(container).filter((el) => !el.classList.contains('sentinel'));
  const target = sentinel === 'end' ? inside[0] : inside.at(-1);
  if (target) target.focus();
  else (event.target as HTMLElement).blur();
}
