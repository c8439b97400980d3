import type { MessagingElement } from './messaging-element.js';

/**
 * An element widget.js loads on first use rather than carrying it (widget.js has a 30 KiB budget):
 * in widget.js the import is a chunk next to it (scripts/lazy-chunks.mjs); through npm, the host's
 * bundler splits it. Returns a loader that registers the element under `tag` once; every caller
 * waits on the same import, and a failed one (a network blip) is tried again on the next call.
 */
export function lazyElement(tag: string, load: () => Promise<typeof MessagingElement>): () => Promise<void> {
  let loading: Promise<void> | undefined;
  return () =>
    (loading ??= load().then(
      (element) => element.define(tag),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
}
