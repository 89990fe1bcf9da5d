import type { Logger } from 'pino';
import { ConfigError, type ErrorClass, ListenError } from './config-error.js';
import type { LogLevel } from './env.js';
import { createLogger } from './logger.js';
import { onShutdownSignals } from './shutdown.js';

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

/**
 * A service's whole `main`: `runMain` around reading the config (`load`), creating the one logger
 * at its `logLevel`, shutdown on signals (registered before `start`, so a signal right after the
 * readiness line is handled), and `start`, which listens and returns how to stop (drain, close).
 * @example runService('dev-model-server', readConfig, async (config, logger) => { const server = await listen(app, config); return () => drainServer(server); })
 */
export function runService<C extends { readonly logLevel: LogLevel }>(
  name: string,
  load: (env: NodeJS.ProcessEnv) => C | Promise<C>,
  start: (config: C, logger: Logger) => Promise<(signal: NodeJS.Signals) => Promise<unknown>>,
  known: readonly ErrorClass[] = [],
  options: RunServiceOptions<C> = {},
): void {
  runMain(
    name,
    async () => {
      const config = await load(process.env);
      const logger = createLogger(name, config.logLevel);
      let stop: (signal: NodeJS.Signals) => Promise<unknown> = async () => true;
      const timeoutMs = options.shutdownTimeoutMs?.(config);
      onShutdownSignals(
        logger,
        (signal) => stop(signal),
        timeoutMs === undefined ? {} : { timeoutMs },
      );
      stop = await start(config, logger);
    },
    known,
  );
}

export interface RunServiceOptions<C> {
  /**
   * The bound of the whole stop, from the config (default `SHUTDOWN_TIMEOUT_MS`): a service whose
   * drain waits for work longer than that (the agent-service's run grace period) says so here.
   */
  readonly shutdownTimeoutMs?: (config: C) => number;
}
