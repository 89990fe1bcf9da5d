import { ConfigError, type ErrorClass, ListenError } from './config-error.js';

/**
 * Runs a service's start-up. A ConfigError, a ListenError or one of `known` (a store that cannot
 * open, a missing tool) becomes one sentence on stderr, `<name>: <message>`, and exit code 1 —
 * never a stack trace. Anything else is a bug: its stack goes to stderr, also with exit code 1.
 * @example runMain('agent-service', async () => { const config = await loadConfig(process.env); … })
 */
export function runMain(
  name: string,
  main: () => Promise<void>,
  known: readonly ErrorClass[] = [],
): void {
  const expected = [ConfigError, ListenError, ...known];
  main().catch((error: unknown) => {
    if (expected.some((kind) => error instanceof kind)) {
      process.stderr.write(`${name}: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(
        `${name}: start-up failed unexpectedly\n${String((error as Error)?.stack ?? error)}\n`,
      );
    }
    process.exit(1);
  });
}
