import { ParleyClient } from '@parley/sdk';
import { mintToken } from '../testing.js';

/**
 * The SDK clients a multi-node test opens: quick reconnects (so a dropped node or Redis is
 * noticed within the test), no stored outbox; destroyed together in afterAll.
 */
export class SdkClients {
  /** Every client made so far, in order. */
  readonly all: ParleyClient[] = [];

  /** `nameOf`: a user's display name in the tokens (by default the user id). */
  constructor(private readonly nameOf: (sub: string) => string = (sub) => sub) {}

  /** A client for `sub` on `url` (a node, or a proxy standing in for the load balancer), not connected yet. */
  make(sub: string, url: string, backoff = { baseMs: 50, maxMs: 500 }): ParleyClient {
    const client = new ParleyClient({
      url,
      getToken: () => mintToken({ sub, name: this.nameOf(sub) }),
      backoff,
      outboxStorage: false,
    });
    this.all.push(client);
    return client;
  }

  /** `make`, connected. */
  async connect(sub: string, url: string): Promise<ParleyClient> {
    const client = this.make(sub, url);
    await client.connect();
    return client;
  }

  destroyAll(): void {
    this.all.forEach((client) => client.destroy());
  }
}
