import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { dependsOn, envOf, imageName, type Service } from './compose.js';
import {
  cliCommands,
  DEFAULT_PORT,
  defaultOf,
  durationMs,
  exists,
  posix,
  read,
  SHUTDOWN_DEADLINE_MS,
  variableProblem,
} from './repository.js';

/** Variables the third-party images read themselves (their own documentation, not README's). */
const IMAGE_VARIABLES: Record<string, RegExp> = { postgres: /^(POSTGRES_|PG)/, redis: /^REDIS_/, nginx: /^NGINX_/ };

describe('compose.yaml', () => {
  const text = read('compose.yaml');
  // `<<: *parley` merge keys: one definition for the migration job and the nodes.
  const compose = parseYaml(text, { merge: true }) as {
    services: Record<string, Service>;
    volumes?: Record<string, unknown>;
  };
  const services = Object.entries(compose.services);
  const parley = services.filter(([, s]) => s.build !== undefined);
  const isNode = (s: Service) => s.command === undefined || (s.command.length === 1 && s.command[0] === 'serve');
  const nodes = parley.filter(([, s]) => isNode(s));
  const migrate = parley.filter(([, s]) => s.command?.[0] === 'migrate');

  it('builds the Parley image from this repository for the migration job and two nodes', () => {
    for (const [, s] of parley) {
      const context = typeof s.build === 'string' ? s.build : s.build!.context;
      expect(exists(posix.join(context, 'Dockerfile')), `${context}/Dockerfile`).toBe(true);
      if (s.command) expect(cliCommands, `parley ${s.command[0]}`).toContain(s.command[0]);
    }
    expect(nodes.map(([name]) => name)).toHaveLength(2);
    expect(migrate).toHaveLength(1);
  });

  it('migrates once, before any node starts (nodes starting together race for the migration lock)', () => {
    const [migrateName, migrateService] = migrate[0]!;
    expect(migrateService.restart).toBe('no');
    for (const [name, node] of nodes) {
      expect(dependsOn(node)[migrateName], `${name} waits for ${migrateName}`).toBe('service_completed_successfully');
    }
    expect(envOf(migrateService)['DATABASE_URL']).toBe(envOf(nodes[0]![1])['DATABASE_URL']);
  });

  it('gives both nodes the same settings (the same database, Redis and token secret)', () => {
    const [a, b] = nodes.map(([, s]) => envOf(s));
    expect(Object.keys(a!).sort()).toEqual(Object.keys(b!).sort());
    expect(a).toEqual(b);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'PARLEY_JWT_SECRET']) expect(Object.keys(a!)).toContain(key);
  });

  it('sets only documented variables that the server reads on Parley, and only image variables elsewhere', () => {
    const problems: string[] = [];
    for (const [name, s] of services) {
      for (const key of Object.keys(envOf(s))) {
        if (s.build !== undefined) {
          const problem = variableProblem(key);
          if (problem) problems.push(`${name}: ${problem}`);
        } else if (!IMAGE_VARIABLES[imageName(s)]?.test(key)) {
          problems.push(`${name}: ${key} is not a variable of the ${imageName(s)} image`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('commits no secret: every secret and every password in a URL comes from the environment, required', () => {
    for (const [name, s] of services) {
      for (const [key, value] of Object.entries(envOf(s))) {
        if (/SECRET|PASSWORD|PRIVATE|MASTER_KEY/.test(key)) {
          expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]*\}$/);
        }
        const password = /^\w+:\/\/[^/:@]+:([^@]+)@/.exec(value)?.[1];
        if (password) expect(password, `${name}.${key}'s password`).toMatch(/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]*\}$/);
      }
    }
  });

  it('interpolates only documented Parley variables or variables of the images it runs', () => {
    const imageVars = new Set(services.flatMap(([, s]) => (s.build === undefined ? Object.keys(envOf(s)) : [])));
    for (const [, name] of text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)) {
      if (imageVars.has(name!)) continue;
      expect(variableProblem(name!), name).toBeNull();
    }
  });

  it('names only files, services and volumes that exist', () => {
    const names = new Set(services.map(([name]) => name));
    for (const [name, s] of services) {
      for (const target of Object.keys(dependsOn(s))) expect(names, `${name} depends on ${target}`).toContain(target);
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (source.startsWith('.')) expect(exists(source), `${name} mounts ${source}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name}'s volume ${source}`).toContain(source);
      }
    }
  });

  it('waits for health only of services that have a health check', () => {
    const byName = new Map(services);
    for (const [name, s] of services) {
      for (const [target, condition] of Object.entries(dependsOn(s))) {
        if (condition !== 'service_healthy') continue;
        const t = byName.get(target)!;
        // Parley services have the image's HEALTHCHECK unless they disable it.
        const checked = t.healthcheck ? !t.healthcheck.disable : t.build !== undefined;
        expect(checked, `${name} waits for ${target} to be healthy`).toBe(true);
      }
    }
  });

  it('lets the nodes drain on SIGTERM before docker kills them', () => {
    for (const [name, node] of nodes) {
      expect(durationMs(node.stop_grace_period ?? '10s'), `${name}.stop_grace_period`).toBeGreaterThan(
        SHUTDOWN_DEADLINE_MS,
      );
    }
  });

  it('balances over exactly the nodes, on their port, with WebSocket upgrades (nginx)', () => {
    const [, nginx] = services.find(([, s]) => imageName(s) === 'nginx')!;
    const mount = nginx.volumes!.find((v) => v.split(':')[1] === '/etc/nginx/nginx.conf')!;
    const conf = read(mount.split(':')[0]!);
    const upstream = /upstream\s+\w+\s*\{([^}]*)\}/.exec(conf)![1]!;
    const servers = [...upstream.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => [m[1], Number(m[2])]);
    expect(servers).toEqual(nodes.map(([name, s]) => [name, Number(envOf(s)['PORT'] ?? DEFAULT_PORT)]));
    expect(conf).toMatch(/proxy_set_header\s+Upgrade\s+\$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header\s+Connection\s+\$connection_upgrade;/);
    const readTimeout = /proxy_read_timeout\s+(\w+);/.exec(conf)?.[1];
    expect(durationMs(readTimeout ?? '60s')).toBeGreaterThan(defaultOf('PRESENCE_HEARTBEAT_SECONDS') * 1000);
  });
});
