import type { ReactiveControllerHost } from 'lit';
import type { ParleyClient, PresenceState, Room } from '@parley/sdk';
import { StoreController } from './store-controller.js';

/** A component with the SDK client it renders from (and, for the room slices, the room it shows). */
export interface ClientHost extends ReactiveControllerHost {
  readonly client: ParleyClient | undefined;
}
export interface RoomHost extends ClientHost {
  readonly roomId: string | undefined;
}

const NO_PRESENCE: PresenceState = Object.freeze({});

// The store slices several components bind to, made one way: each is a StoreController.

/** The room the host shows, from the rooms store (undefined until it is listed). */
export const roomSlice = (host: RoomHost) =>
  new StoreController(
    host,
    () => host.client?.stores.rooms,
    (s) => (host.roomId ? s.byId[host.roomId] : undefined),
    undefined as Room | undefined,
    () => host.roomId,
  );

/** Everyone's presence the client knows, by user id. */
export const presenceSlice = (host: ClientHost) =>
  new StoreController(
    host,
    () => host.client?.stores.presence,
    (s) => s.byUser,
    NO_PRESENCE,
  );

/** The signed-in user's id (null until the client knows it). */
export const myIdSlice = (host: ClientHost) =>
  new StoreController(
    host,
    () => host.client?.stores.session,
    (s) => s.user?.id ?? null,
    null,
  );
