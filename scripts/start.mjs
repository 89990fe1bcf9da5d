#!/usr/bin/env node
// `pnpm start`: the whole product on this machine. Builds what the stack needs (skip with
// AGENTAUTH_SKIP_BUILD=1), then runs packages/stack: the dev model server (unless LLM_BASE_URL is
// set), the access-control-service, the agent-service and nginx on 127.0.0.1:8080 serving the web
// app. Prints the URL and a sign-in link; Ctrl-C stops everything. See docs/single-node.md.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const turbo = fileURLToPath(new URL('../node_modules/.bin/turbo', import.meta.url));

if (!['1', 'true'].includes(process.env.AGENTAUTH_SKIP_BUILD ?? '')) {
  if (!existsSync(turbo)) {
    console.error('start: the workspace is not installed; run `bash scripts/setup` first.');
    process.exit(1);
  }
  console.error('start: building the services, the gateway config and the web app…');
  const build = spawnSync(
    turbo,
    [
      'run',
      'build',
      '--filter=@agentauth/stack...',
      '--filter=@agentauth/web',
      '--output-logs=errors-only',
    ],
    { cwd: root, stdio: ['ignore', 2, 2] },
  );
  if (build.status !== 0) {
    console.error('start: the build failed (see above); `pnpm turbo run build` shows every step.');
    process.exit(build.status ?? 1);
  }
}

await import('../packages/stack/dist/main.js');
