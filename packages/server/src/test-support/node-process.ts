import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_SECRET } from '../testing.js';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** One `parley serve` process (through tsx, so no build is needed), as a node of a cluster. */
export interface NodeProcess {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Log lines (parsed JSON) the node wrote so far. */
  logs: Record<string, unknown>[];
}

/**
 * Starts a node with the cluster's shared settings (`env`: DATABASE_URL,
 * REDIS_URL, REDIS_PREFIX…) and the test JWT secret, on an ephemeral port;
 * resolves once it listens.
 */
export async function startNode(name: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PARLEY_JWT_SECRET: TEST_JWT_SECRET,
      PARLEY_DEMO: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    // Always drain stdout: a full pipe would block the node.
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry['msg'] === 'parley listening' && typeof entry['url'] === 'string')
        resolve(Number(new URL(entry['url']).port));
    });
    void exited.then((code) => reject(new Error(`node ${name} exited with ${code} before listening`)));
  });
  return { name, child, port, url: `http://127.0.0.1:${port}`, exited, logs };
}

/** Stops a node whatever its state (cleanup). */
export async function killNode(node: NodeProcess | undefined): Promise<void> {
  if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGKILL');
  await node.exited;
}
