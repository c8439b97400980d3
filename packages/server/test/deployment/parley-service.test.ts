import { describe, expect, it } from 'vitest';
import {
  cliCommands,
  durationMs,
  norm,
  posix,
  read,
  serverBin,
  SHUTDOWN_DEADLINE_MS,
  variableProblem,
} from './repository.js';

describe('deploy/parley.service', () => {
  const entries = read('deploy/parley.service')
    .split('\n')
    .filter((l) => /^\w+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const);
  const values = (key: string) => entries.filter(([k]) => k === key).map(([, v]) => v);
  const one = (key: string) => {
    const [value, ...more] = values(key);
    expect(value, key).toBeDefined();
    expect(more, `one ${key}=`).toEqual([]);
    return value!;
  };
  const environment = Object.fromEntries(
    values('Environment').flatMap((v) =>
      v.split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  );

  it('starts `parley serve` from the installed repository as a non-root user', () => {
    const [node, script, command] = one('ExecStart').split(/\s+/);
    expect(posix.basename(node!)).toBe('node');
    expect(norm(posix.relative(one('WorkingDirectory'), script!))).toBe(serverBin);
    expect(cliCommands, `parley ${command}`).toContain(command);
    expect(['root', '0']).not.toContain(one('User'));
  });

  it('sets only documented variables that the server reads', () => {
    expect(Object.keys(environment).length).toBeGreaterThan(0);
    expect(Object.keys(environment).map(variableProblem).filter(Boolean)).toEqual([]);
  });

  it('keeps the PGlite directory writable under ProtectSystem=strict', () => {
    expect(one('ProtectSystem')).toBe('strict');
    expect(values('ReadWritePaths').flatMap((v) => v.split(/\s+/))).toContain(environment['PARLEY_DATA_DIR']);
  });

  it('restarts on failure and waits for the graceful shutdown on SIGTERM', () => {
    expect(one('Restart')).toBe('on-failure');
    expect(one('KillSignal')).toBe('SIGTERM');
    expect(durationMs(one('TimeoutStopSec'))).toBeGreaterThan(SHUTDOWN_DEADLINE_MS);
  });
});
