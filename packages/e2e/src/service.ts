import type { ServiceName } from '@agentauth/service-runtime';
import {
  type RunningService,
  startService as startFromManifest,
} from '@agentauth/service-runtime/process';
import { SECRET } from './tokens.js';

export type { RunningService };

/**
 * Starts a service from its built entry point with the e2e secret on a free loopback port (or
 * `port`), once its health path answers.
 * @example const acs = await startService('access-control-service')
 */
export function startService(
  name: ServiceName,
  env: Readonly<Record<string, string>> = {},
  port?: number,
): Promise<RunningService> {
  return startFromManifest(name, {
    env: { AUTH_JWT_SECRET: SECRET, ...env },
    ...(port === undefined ? {} : { port }),
  });
}
