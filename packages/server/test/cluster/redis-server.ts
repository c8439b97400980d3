import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

/**
 * A private `redis-server` child process on a free port, for tests that stop
 * and restart Redis without disturbing the shared one (or anyone else's run).
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port, empty: nothing is saved) and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child) await this.stop();
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    this.child = child;
    const exited = new Promise<never>((_, reject) => {
      child.once('error', (err) =>
        reject(new Error(`redis-server could not start (is it installed?): ${err.message}`)),
      );
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
    await Promise.race([exited, this.waitUntilAnswering()]);
  }

  /** Kills the server at once (like a crash: clients see their connections drop). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  private async waitUntilAnswering(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer`);
        await new Promise((r) => setTimeout(r, 25));
      } finally {
        probe.disconnect();
      }
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
