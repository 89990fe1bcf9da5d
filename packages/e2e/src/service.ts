import type { ServiceName } from '@agentauth/service-runtime';
import { type RunningService, startService as start } from '@agentauth/service-runtime/process';
import { SECRET } from './tokens.js';

export type { RunningService };

/**
 * A service of the manifest with the e2e secret, on a port it binds itself (0, read back) unless
 * `port` is given: a reserved one (`reservePort`), held across a restart on the same address.
 * @example const acs = await startService('access-control-service')
 */
export const startService = (name: ServiceName, env: Record<string, string> = {}, port?: number) =>
  start(name, { env: { AUTH_JWT_SECRET: SECRET, ...env }, ...(port ? { port } : {}) });
