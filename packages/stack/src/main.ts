import { fileURLToPath } from 'node:url';
import { SecretConfigError } from '@agentauth/auth-core';
import { GatewayOptionsError, NginxNotFoundError } from '@agentauth/nginx';
import type { Child } from './child.js';
import { loadStackConfig, StackConfigError } from './config.js';
import { type RunningStack, say, startStack, stopStack } from './stack.js';

// `pnpm start` (through scripts/start.mjs, which builds first): runs the stack until Ctrl-C or
// SIGTERM, then stops every process it started. Exit code 0 after a signal, 1 when a process
// died or the stack could not start, 2 for a bad configuration.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const print = (line: string) => process.stdout.write(`${line}\n`);
const children: Child[] = [];
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

let config: ReturnType<typeof loadStackConfig>;
try {
  config = loadStackConfig(process.env, repoRoot);
} catch (error) {
  if (!(error instanceof StackConfigError)) throw error;
  console.error(`start: ${error.message}`);
  process.exit(2);
}

let stack: RunningStack;
try {
  stack = await startStack(config, process.env, { print, children });
} catch (error) {
  if (signalled) await new Promise(() => {}); // the signal handler finishes and exits
  const known =
    error instanceof NginxNotFoundError ||
    error instanceof SecretConfigError ||
    error instanceof GatewayOptionsError;
  console.error(`start: ${known ? (error as Error).message : String(error)}`);
  await stop();
  process.exit(1);
}

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
// A terminal's Ctrl-C reaches the children too; give our own SIGINT handler the first word.
await new Promise((r) => setTimeout(r, 250));
if (!signalled) {
  print(say(`${reason}; stopping the others.`));
  await stop();
  process.exit(1);
}
