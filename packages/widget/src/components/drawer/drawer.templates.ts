import { html, type TemplateResult } from 'lit';
import type { ParleyClient } from '@parley/sdk';
import type { MessagingStrings } from '../../i18n.js';
import {
  NEW_CONVERSATION_EXPORTS,
  ROOM_DETAILS_EXPORTS,
  ROOM_LIST_EXPORTS,
  ROOM_VIEW_EXPORTS,
} from './drawer.parts.js';

/** What every panel of the drawer is given. */
export interface PanelContext {
  client: ParleyClient | undefined;
  strings: MessagingStrings;
  locale: string | undefined;
  /** The drawer's close button, slotted into the panel's own header. */
  closeButton: TemplateResult;
}

type RoomEvent = CustomEvent<{ roomId: string }>;

export function roomDetailsPanel(
  { client, strings, locale, closeButton }: PanelContext,
  roomId: string,
  on: { back: () => void; leave: () => void },
): TemplateResult {
  return html`<messaging-room-details
    part="room-details"
    exportparts=${ROOM_DETAILS_EXPORTS}
    .client=${client}
    .roomId=${roomId}
    .strings=${strings}
    .locale=${locale}
    @messaging-back=${on.back}
    @messaging-room-leave=${on.leave}
    >${closeButton}</messaging-room-details
  >`;
}

export function roomViewPanel(
  { client, strings, locale, closeButton }: PanelContext,
  roomId: string,
  active: boolean,
  on: { back: () => void; details: () => void },
): TemplateResult {
  return html`<messaging-room-view
    part="room-view"
    exportparts=${ROOM_VIEW_EXPORTS}
    .client=${client}
    .roomId=${roomId}
    .active=${active}
    .strings=${strings}
    .locale=${locale}
    @messaging-back=${on.back}
    @messaging-room-details=${on.details}
    >${closeButton}</messaging-room-view
  >`;
}

export function newConversationPanel(
  { client, strings, closeButton }: PanelContext,
  on: { back: () => void; create: (roomId: string) => void },
): TemplateResult {
  return html`<messaging-new-conversation
    part="new-conversation"
    exportparts=${NEW_CONVERSATION_EXPORTS}
    .client=${client}
    .strings=${strings}
    @messaging-back=${on.back}
    @messaging-room-create=${(e: RoomEvent) => on.create(e.detail.roomId)}
    >${closeButton}</messaging-new-conversation
  >`;
}

export function roomListPanel(
  { client, strings, locale }: PanelContext,
  on: { select: (roomId: string) => void },
): TemplateResult {
  return html`<messaging-room-list
    part="room-list"
    exportparts=${ROOM_LIST_EXPORTS}
    .client=${client}
    .strings=${strings}
    .locale=${locale}
    @messaging-room-select=${(e: RoomEvent) => on.select(e.detail.roomId)}
  ></messaging-room-list>`;
}
