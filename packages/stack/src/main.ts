import { fileURLToPath } from 'node:url';
import { SecretConfigError } from '@agentauth/auth-core';
import { GatewayOptionsError, NginxNotFoundError } from '@agentauth/nginx';
import { runMain } from '@agentauth/service-runtime';
import { loadStackConfig } from './config.js';
import { StackStartError, say, startStack, stopStack } from './stack.js';
import type { Supervised } from './supervise.js';

// `pnpm start` (through scripts/start.mjs, which builds first): runs the stack until Ctrl-C or
// SIGTERM, then stops every process it started, and exits 0. A process that dies is restarted
// with backoff; one that keeps dying ends the stack with exit code 1, as does a failed start or
// a bad configuration (one sentence, through the runtime's runMain like every service).

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const print = (line: string) => process.stdout.write(`${line}\n`);
const children: Supervised[] = [];
let stopping: Promise<void> | undefined;
let signalled = false;

function stop(): Promise<void> {
  stopping ??= stopStack(children);
  return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    print(say(`${signal}: stopping…`));
    void stop().then(() => {
      print(say('stopped.'));
      process.exit(0);
    });
  });
}

runMain('start', async () => {
  const config = loadStackConfig(process.env, repoRoot);
  const stack = await startStack(config, process.env, { print, children }).catch(
    async (error: unknown) => {
      if (signalled) await new Promise(() => {}); // the signal handler finishes and exits
      await stop();
      throw error;
    },
  );

  print(say(`ready: ${stack.origin}/`));
  print('');
  print(`  agentauth is running at ${stack.origin}/`);
  print('  Sign in as the demo REGULAR user (uid 1000, valid 12 h). The token is in the URL');
  print('  fragment, which browsers never send, so it stays out of every server log:');
  print('');
  print(`    ${stack.link}`);
  print('');
  print(`  Gateway logs: ${stack.nginxPrefix}/logs/ · Ctrl-C stops everything.`);
  print('');

  const reason = await stack.failed;
  if (signalled) return;
  print(say(reason));
  await stop();
  process.exit(1);
}, [NginxNotFoundError, SecretConfigError, GatewayOptionsError, StackStartError]);
