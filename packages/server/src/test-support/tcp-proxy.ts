import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a server (no tc/toxiproxy here), or a load balancer
 * in front of cluster nodes: forwards every
 * connection to the target port, and can cut them all on demand or be pointed
 * at a restarted server, so clients keep one URL through faults.
 */
export class TcpProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private constructor(
    private readonly server: Server,
    private targetPort: number,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    // No client can connect before listen() resolves, so `proxy` exists by the first accept.
    const server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, targetPort, (server.address() as AddressInfo).port);
    return proxy;
  }

  /** http://127.0.0.1:<port> */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  /** New connections go to this port (a restarted server); existing ones are left alone. */
  retarget(port: number): void {
    this.targetPort = port;
  }

  /** Destroys every proxied connection at once, both sides (like a network path dying). */
  cutAll(): number {
    const count = this.pairs.size;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
    return count;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
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
