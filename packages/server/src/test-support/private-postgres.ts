import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { freePort } from './free-port.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PostgreSQL server binaries (initdb, pg_ctl), or null when this machine has none. */
function binDir(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    return existsSync(path.join(dir, 'initdb')) ? dir : null;
  } catch {
    return null;
  }
}

/** Whether tests that stop a database can run here. */
export const canRunPrivatePostgres = binDir() !== null;

/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, another port), for tests that
 * stop, crash or restart the database: never the machine's shared one. PostgreSQL refuses to
 * run as root, so as root its commands run as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    readonly port: number,
  ) {}

  /** initdb and start; `url` is then a trust-auth connection string to its `postgres` database. */
  static async start(): Promise<PrivatePostgres> {
    const bin = binDir();
    if (!bin) throw new Error('no PostgreSQL server binaries (pg_config --bindir) on this machine');
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-pg-'));
    const server = new PrivatePostgres(bin, dir, await freePort());
    if (process.getuid?.() === 0) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
      await chown(dir, uid, gid);
    }
    await server.pg('initdb', ['-D', server.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
    await server.resume();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** Start (again) and wait until it accepts connections. */
  async resume(): Promise<void> {
    // fsync off: only the process dies in these tests, never the machine, so the OS keeps what was written.
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-l', path.join(this.dir, 'log'), '-w', '-o', options, 'start']);
  }

  /** `pg_ctl stop -m immediate`: every backend is killed at once, as in a crash; restart recovers from WAL. */
  async crash(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async pg(command: string, args: string[]): Promise<void> {
    const binary = path.join(this.bin, command);
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args], { cwd: this.dir });
    else await run(binary, args, { cwd: this.dir });
  }
}
