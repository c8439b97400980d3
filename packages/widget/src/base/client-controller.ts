import type { ReactiveController } from 'lit';
import { ParleyClient, type GetToken } from '@parley/sdk';
import { tokenFromUrl } from '../token-url.js';
import { afterNextPaint } from './after-paint.js';
import type { MessagingElement } from './messaging-element.js';

/** `connecting`: its own client is connecting and loading · `ready`: usable · `error`: see `messaging-error`. */
export type ClientStatus = 'idle' | 'connecting' | 'ready' | 'error';

/** How to build a client of the component's own: the server, and a token from `getToken` or else `tokenUrl`. */
export interface OwnClientSettings {
  server: string | undefined;
  tokenUrl: string | undefined;
  getToken: GetToken | undefined;
}

export interface ClientControllerOptions {
  /** A client the host page made and owns (the `client` property): used as is, never destroyed. */
  given(): ParleyClient | undefined;
  /** Without a given client, build one from these; leave out for a component that never owns one. */
  own?(): OwnClientSettings;
  /** Without either, use this one (the share button borrows the page's drawer's). */
  borrow?(): ParleyClient | undefined;
  /**
   * Make a client ready for the component, once per client: an own one after it connected; a given
   * one at once, connecting it first if nobody has (a host may only have constructed it). A
   * component without `prepare` leaves a given client as it is until it needs it (`connected()`).
   */
  prepare?(client: ParleyClient): Promise<unknown> | undefined;
  /**
   * An own client asks for this many rooms on the socket as it connects (`connect({ rooms })`): the
   * room list then needs no REST request, nor across origins its CORS preflight.
   */
  roomsOnConnect?: number;
}

/** What a setup depends on: the given client, then the own settings. */
type Inputs = [
  given: ParleyClient | undefined,
  server: string | undefined,
  tokenUrl: string | undefined,
  getToken: GetToken | undefined,
];

const preconnected = new Set<string>();

/**
 * A `<link rel="preconnect">` to the server's origin, once per page: on a host page of another
 * origin, the connection (DNS, TCP, TLS) is then open before the first request needs it. `crossorigin`,
 * because the REST calls and the chunks are CORS requests, which use connections of their own.
 */
function preconnect(server: string): void {
  let origin: string;
  try {
    origin = new URL(server, document.baseURI).origin;
  } catch {
    return;
  }
  if (origin === location.origin || preconnected.has(origin)) return;
  preconnected.add(origin);
  const link = document.createElement('link');
  link.rel = 'preconnect';
  link.href = origin;
  link.crossOrigin = 'anonymous';
  document.head.append(link);
}

/**
 * This tab's `sessionStorage`, where the drawer keeps the top of the room list between the host's
 * pages (like drafts: this tab only, gone when it closes); undefined where storage is off.
 */
function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // a sandboxed frame, or storage disabled
  }
}

/** Connect a client nobody has connected yet; sends go over the socket. */
export async function connected(client: ParleyClient): Promise<ParleyClient> {
  if (client.connectionState === 'idle') await client.connect();
  return client;
}

/**
 * Which client a component talks through, and the life of one it owns: built from its settings
 * when the host gives none, rebuilt when they change, destroyed when the component leaves the page
 * (not when it only moves). Failures are `messaging-error` on the host, an own client's readiness
 * `messaging-ready`; `status` says where it is, for the host's render.
 */
export class ClientController implements ReactiveController {
  status: ClientStatus = 'idle';
  // `#` names: terser shortens them (it keeps property names), and widget.js has a 30 KiB budget.
  readonly #host: MessagingElement;
  readonly #options: ClientControllerOptions;
  #own: ParleyClient | undefined;
  /** The given client and own settings last set up for: only a change to one sets up again. */
  #inputs: Inputs | [] = [];
  #preparedFor: ParleyClient | undefined;

  constructor(host: MessagingElement, options: ClientControllerOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The client in use: the given one, else the own one, else the borrowed one. */
  get client(): ParleyClient | undefined {
    return this.#options.given() ?? this.#own ?? this.#options.borrow?.();
  }

  hostConnected(): void {
    this.#setUp();
  }

  hostUpdate(): void {
    if (!this.#sameInputs(this.#currentInputs())) this.#setUp();
  }

  hostDisconnected(): void {
    // Moving the element (remove + insert) must not kill its connection: wait a tick.
    queueMicrotask(() => {
      if (!this.#host.isConnected) this.#dropOwn();
    });
  }

  #currentInputs(): Inputs {
    const settings = this.#options.own?.();
    return [this.#options.given(), settings?.server, settings?.tokenUrl, settings?.getToken];
  }

  #sameInputs(inputs: Inputs): boolean {
    return inputs.every((input, i) => input === this.#inputs[i]);
  }

  #setUp(): void {
    const host = this.#host;
    if (!host.isConnected) return;
    const inputs = this.#currentInputs();
    const unchanged = this.#sameInputs(inputs);
    this.#inputs = inputs;
    const [given, server, tokenUrl, getToken] = inputs;
    if (given) {
      this.#dropOwn();
      this.#prepareGiven(given);
      return;
    }
    if (this.#own && unchanged) return;
    this.#dropOwn();
    const tokens = getToken ?? (tokenUrl ? tokenFromUrl(tokenUrl) : undefined);
    if (!server || !tokens) return;
    let client: ParleyClient;
    try {
      client = new ParleyClient({ url: server, getToken: tokens, roomListStorage: tabStorage() });
    } catch (error) {
      this.#fail(error);
      return;
    }
    this.#own = client;
    this.#setStatus('connecting');
    // The first page of rooms comes on the socket; REST (presence, the room view's chunk) comes after
    // the list is painted, and so can its connection: opening it now would compete with that paint.
    void afterNextPaint().then(() => preconnect(server));
    const rooms = this.#options.roomsOnConnect;
    // With the room list on the socket, `prepare` finds it loaded; without, it loads beside the socket
    // (one token request for both; the SDK applies an event that lands in between once either way).
    const ready = rooms
      ? client.connect({ rooms }).then(() => this.#options.prepare?.(client))
      : Promise.all([client.connect(), this.#options.prepare?.(client)]);
    ready
      .then(() => {
        if (this.#own !== client) return;
        this.#preparedFor = client;
        this.#setStatus('ready');
        host.emit('messaging-ready');
      })
      .catch((error: unknown) => {
        if (this.#own === client) this.#fail(error);
      });
  }

  #prepareGiven(client: ParleyClient): void {
    const prepare = this.#options.prepare;
    if (!prepare || this.#preparedFor === client) return;
    this.#preparedFor = client;
    this.#setStatus('ready');
    const fail = (error: unknown) => this.#fail(error);
    connected(client).catch(fail);
    prepare(client)?.catch(fail);
  }

  #dropOwn(): void {
    if (!this.#own) return;
    this.#own.destroy();
    this.#own = undefined;
    this.#preparedFor = undefined;
    this.#setStatus('idle');
  }

  #fail(error: unknown): void {
    this.#setStatus('error');
    this.#host.emit('messaging-error', { detail: { error } });
  }

  #setStatus(status: ClientStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.#host.requestUpdate();
  }
}
