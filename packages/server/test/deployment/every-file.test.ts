import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { envOf, type Service } from './compose.js';
import { cliCommands, DEPLOYMENT_FILES, exists, read, readmeSection, rootPkg, variableProblem } from './repository.js';

describe('every deployment file, comments included', () => {
  const texts = DEPLOYMENT_FILES.map((file) => [file, read(file)] as const);
  // systemd's RestrictAddressFamilies= values: the only upper-case underscored words that are not variables.
  const NOT_VARIABLES = new Set(['AF_INET', 'AF_INET6', 'AF_UNIX']);
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, Service> };
  const imageVars = new Set(
    Object.values(compose.services).flatMap((s) => (s.build === undefined ? Object.keys(envOf(s)) : [])),
  );

  it('names only npm scripts that exist', () => {
    for (const [file, text] of texts) {
      for (const [, script] of text.matchAll(/\bnpm run ([\w:-]+)/g)) {
        expect(Object.keys(rootPkg.scripts ?? {}), `${file}: npm run ${script}`).toContain(script);
      }
    }
  });

  it('names only parley commands that exist', () => {
    for (const [file, text] of texts) {
      for (const [, command] of text.matchAll(/\bparley ([a-z][a-z-]*)\b/g)) {
        expect(cliCommands, `${file}: parley ${command}`).toContain(command);
      }
    }
  });

  it('names only configuration variables (documented and read) or the images’ own', () => {
    const problems: string[] = [];
    for (const [file, text] of texts) {
      for (const [name] of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) {
        if (NOT_VARIABLES.has(name) || imageVars.has(name)) continue;
        const problem = variableProblem(name);
        if (problem) problems.push(`${file}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are described in README ("Deploying"), which links only files that exist', () => {
    const section = readmeSection('### Deploying');
    for (const file of ['Dockerfile', 'compose.yaml', 'deploy/parley.service']) {
      expect(section).toContain(`\`${file}\``);
    }
    expect(section).toMatch(/not built or run in CI/);
    for (const [, target] of section.matchAll(/\]\(([^)]+)\)/g)) {
      if (!/^https?:/.test(target!)) expect(exists(target!), `README links ${target}`).toBe(true);
    }
  });
});
