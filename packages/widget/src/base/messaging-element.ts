import { LitElement } from 'lit';
import type { MessagingEventDetails, MessagingEventName } from './events.js';

type EmitOptions<K extends MessagingEventName> = Omit<CustomEventInit, 'detail'> &
  (MessagingEventDetails[K] extends undefined ? { detail?: undefined } : { detail: MessagingEventDetails[K] });

/**
 * Base of every `messaging-*` element: a typed `emit()` and a registration that tolerates
 * being run twice (the widget is dropped into pages we do not control, where the script
 * may be included twice or a host may register the tags itself).
 */
export class MessagingElement extends LitElement {
  /** Elements this one renders; `define()` registers them first under their default tags. */
  static dependencies: Record<string, CustomElementConstructor> = {};

  /** Register this class under `tag` unless the tag is already taken; never throws. */
  static define(tag: string, registry: CustomElementRegistry = customElements): void {
    for (const [depTag, dep] of Object.entries(this.dependencies)) {
      (dep as unknown as typeof MessagingElement).define?.(depTag, registry);
    }
    if (registry.get(tag)) return;
    try {
      registry.define(tag, this);
    } catch {
      // The class is already registered under another tag (a host's own name): one constructor
      // cannot back two tags, so register a trivial subclass instead.
      try {
        registry.define(tag, class extends this {});
      } catch {
        // A racing registration took the tag; it works either way.
      }
    }
  }

  /** Dispatch a typed `messaging-*` event that bubbles out of shadow roots. */
  emit<K extends MessagingEventName>(
    name: K,
    ...[options]: MessagingEventDetails[K] extends undefined ? [EmitOptions<K>?] : [EmitOptions<K>]
  ): CustomEvent<MessagingEventDetails[K]> {
    const event = new CustomEvent(name, { bubbles: true, composed: true, cancelable: false, ...options });
    this.dispatchEvent(event);
    return event;
  }
}
