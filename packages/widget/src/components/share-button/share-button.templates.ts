import { html, nothing, type TemplateResult } from 'lit';
import type { Room, User } from '@parley/sdk';
import { format } from '../../i18n.js';
import type { ShareStrings } from './share-button.strings.js';

export type Target = { kind: 'room'; room: Room } | { kind: 'person'; user: User };

export type Phase =
  | { state: 'picking' }
  | { state: 'sending'; name: string }
  | { state: 'sent'; name: string }
  | { state: 'failed'; name: string; error: string };

/** What the picker shows and what its controls do. */
export interface PickerView {
  recent: readonly Room[];
  query: string;
  results: { rooms: Room[]; people: User[] } | null;
  loading: boolean;
  /** There is a client to pick with (after a failure without one, only the error shows). */
  canPick: boolean;
  onSearchInput(event: Event): void;
  choose(target: Target): void;
  done(): void;
}

const rooms = (list: readonly Room[]): Target[] => list.map((room) => ({ kind: 'room', room }));

function targetButton(target: Target, busy: boolean, choose: (target: Target) => void): TemplateResult {
  const [part, name, roomId, userId] =
    target.kind === 'room'
      ? ['room', target.room.display_name, target.room.id, undefined]
      : ['person', target.user.name, undefined, target.user.id];
  return html`<li>
    <button
      class="target"
      part=${part}
      type="button"
      ?disabled=${busy}
      data-room-id=${roomId ?? nothing}
      data-user-id=${userId ?? nothing}
      @click=${() => choose(target)}
    >
      ${name}
    </button>
  </li>`;
}

function targetList(label: string, targets: Target[], busy: boolean, view: PickerView) {
  if (!targets.length) return nothing;
  return html`
    <p class="heading" part="heading">${label}</p>
    <ul part="list" aria-label=${label}>
      ${targets.map((target) => targetButton(target, busy, view.choose))}
    </ul>
  `;
}

function picker(s: ShareStrings, busy: boolean, view: PickerView): TemplateResult {
  const { results } = view;
  const lists = results
    ? html`${targetList(s.shareRooms, rooms(results.rooms), busy, view)}
      ${targetList(
        s.sharePeople,
        results.people.map((user) => ({ kind: 'person', user })),
        busy,
        view,
      )}
      ${!view.loading && !results.rooms.length && !results.people.length ? html`<p class="status" part="status">${s.shareNoResults}</p>` : nothing}`
    : targetList(s.shareRecent, rooms(view.recent), busy, view);
  return html`
    <input
      part="search"
      type="search"
      aria-label=${s.shareSearch}
      placeholder=${s.shareSearch}
      .value=${view.query}
      @input=${view.onSearchInput}
    />
    ${lists} ${view.loading ? html`<p class="status" part="status">${s.shareLoading}</p>` : nothing}
  `;
}

/** The picker's body in each phase: choosing, sending (choices disabled), sent, failed. */
export function phaseTemplate(s: ShareStrings, phase: Phase, view: PickerView): TemplateResult {
  switch (phase.state) {
    case 'picking':
      return picker(s, false, view);
    case 'sending':
      return html`${picker(s, true, view)}
        <p class="status" part="status" role="status">${format(s.shareSending, { name: phase.name })}</p>`;
    case 'sent':
      return html`
        <p class="status" part="status" role="status">${format(s.shareSent, { name: phase.name })}</p>
        <div class="actions">
          <button class="done" part="done-button" type="button" @click=${view.done}>${s.shareDone}</button>
        </div>
      `;
    case 'failed':
      return html`
        <p class="error" part="error" role="alert">
          ${phase.name ? format(s.shareFailed, { name: phase.name, error: phase.error }) : phase.error}
        </p>
        ${view.canPick ? picker(s, false, view) : nothing}
      `;
  }
}
