import { type NginxLaunch, type RunningNginx, startNginx } from '../../src/index.js';

/** A real nginx serving the rendered gateway config on a free loopback port. */
export type RunningGateway = RunningNginx;

/**
 * The package's own launcher with the tests' settings: two workers (realistic separate keep-alive
 * pools without one per CPU per test file) and a placeholder web app unless one is given.
 * Throws with the install hint when nginx is missing (tests fail, they never skip).
 * @example const gw = await startGateway({ accessControlService: `127.0.0.1:${acs.port}` })
 */
export function startGateway(options: NginxLaunch = {}): Promise<RunningGateway> {
  return startNginx({
    workerProcesses: 2,
    // Suites send hundreds of token-less requests from 127.0.0.1 to check decisions, not the rate
    // limit; abuse-limits.test.ts sets the limits it tests.
    unauthenticatedRate: 100_000,
    unauthenticatedBurst: 100_000,
    ...options,
  });
}
