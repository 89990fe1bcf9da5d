import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvSchema as acsEnv } from '@agentauth/access-control-service';
import { EnvSchema as agentEnv } from '@agentauth/agent-service';
import { EnvSchema as devModelEnv } from '@agentauth/dev-model-server';
import { envTable, envTableIn, SERVICES } from '@agentauth/service-runtime';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { StackEnvSchema } from '../src/config.js';

// Each env table lives once, in its package's README between `<!-- env:<id> -->` markers, and is
// exactly what the zod schema the program validates with renders (service-runtime's envTable).

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const TABLES: ReadonlyArray<{ id: string; readme: string; schema: z.ZodObject }> = [
  {
    id: 'access-control-service',
    readme: 'packages/access-control-service/README.md',
    schema: acsEnv,
  },
  { id: 'agent-service', readme: 'packages/agent-service/README.md', schema: agentEnv },
  { id: 'dev-model-server', readme: 'packages/dev-model-server/README.md', schema: devModelEnv },
  { id: 'stack', readme: 'packages/stack/README.md', schema: StackEnvSchema },
];

/** Every markdown file of the docs: README.md, docs/, and each package's README. */
function markdownFiles(): string[] {
  const inDir = (dir: string, name = (f: string) => f.endsWith('.md')) =>
    readdirSync(join(REPO, dir))
      .filter(name)
      .map((f) => join(dir, f));
  const packages = readdirSync(join(REPO, 'packages')).map((p) => join('packages', p, 'README.md'));
  return [
    'README.md',
    'nginx/README.md',
    'charts/agentauth/README.md',
    ...inDir('docs'),
    ...packages,
  ].filter((path) => {
    try {
      readFileSync(join(REPO, path));
      return true;
    } catch {
      return false;
    }
  });
}

const withoutTables = (text: string) =>
  text.replace(/<!-- env:([\w-]+) -->[\s\S]*?<!-- \/env:\1 -->/g, '');

describe('env tables', () => {
  it.each(TABLES)('$readme carries the table of the $id schema', ({ id, readme, schema }) => {
    const text = readFileSync(join(REPO, readme), 'utf8');
    expect(
      envTableIn(text, id),
      `paste this between the env:${id} markers:\n${envTable(schema)}`,
    ).toBe(envTable(schema));
  });

  it('has no copied rows of those variables anywhere else in the docs', () => {
    const names = new Set(TABLES.flatMap(({ schema }) => Object.keys(schema.shape)));
    const copies = markdownFiles().flatMap((path) =>
      withoutTables(readFileSync(join(REPO, path), 'utf8'))
        .split('\n')
        .filter((line) => {
          const first = /^\|\s*`([A-Z_]+)`\s*\|/.exec(line)?.[1];
          return first !== undefined && names.has(first);
        })
        .map((line) => `${path}: ${line}`),
    );
    expect(copies).toEqual([]);
  });

  it.each(Object.entries(SERVICES))(
    "docs/contributing.md lists %s as the runtime's manifest has it",
    (name, service) => {
      const doc = readFileSync(join(REPO, 'docs/contributing.md'), 'utf8');
      expect(doc).toContain(
        `| ${name} | \`packages/${name}/${service.entry}\` | ${service.defaultPort} | \`GET ${service.healthPath}\``,
      );
    },
  );
});
