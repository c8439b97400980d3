import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy standing in for the load balancer (or for the network between a
 * node and Redis): forwards each new connection to the current target port.
 * `retarget` is the balancer noticing a dead node; `cutAll` a network path dying.
 */
export class TcpLoadBalancer {
  private readonly pairs = new Set<[Socket, Socket]>();

  private constructor(
    private readonly server: Server,
    private target: number,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpLoadBalancer> {
    let balancer: TcpLoadBalancer | undefined;
    const server = createServer((client) => balancer!.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    balancer = new TcpLoadBalancer(server, targetPort, (server.address() as AddressInfo).port);
    return balancer;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** New connections go to this port; open ones are left alone. */
  retarget(port: number): void {
    this.target = port;
  }

  /** Destroys every open connection, both sides. */
  cutAll(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** Waits until `predicate` holds (polling, never a fixed sleep); fails naming `what` after the timeout. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
