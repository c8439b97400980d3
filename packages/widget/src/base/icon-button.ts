import { html, nothing, type TemplateResult } from 'lit';

/**
 * A button that is only an icon: named for screen readers (`aria-label`) and, on hover, with a
 * tooltip saying the same (`title`). `className` adds to `icon-button`; `slot` places it in a slot.
 */
export function iconButton(
  part: string,
  label: string,
  icon: TemplateResult,
  onClick: (event: Event) => void,
  options: { className?: string; slot?: string } = {},
) {
  return html`<button
    class="icon-button ${options.className ?? ''}"
    part=${part}
    slot=${options.slot ?? nothing}
    type="button"
    aria-label=${label}
    title=${label}
    @click=${onClick}
  >
    ${icon}
  </button>`;
}
