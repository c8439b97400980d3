/**
 * Work that must not sit between a render and its paint: a task queued from the next animation
 * frame runs after that frame's style, layout and paint (HTML's event loop: rendering runs after the
 * frame's callbacks, before the next task). A hidden page has no frames: the work waits until it
 * is shown, which is when its result is needed.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
