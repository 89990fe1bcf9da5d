import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this package lives in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The services the suite starts, by folder name under `packages/`. */
export type ServiceName = 'access-control-service' | 'agent-service' | 'dev-model-server';

/**
 * The built entry point of a service (`packages/<name>/dist/main.js`, per docs/contributing.md).
 * @example serviceMain('agent-service')
 */
export const serviceMain = (name: ServiceName): string =>
  join(REPO_ROOT, 'packages', name, 'dist', 'main.js');

/** The unauthenticated health route of each service. */
export const HEALTH_PATH: Record<ServiceName, string> = {
  'access-control-service': '/api/healthcheck',
  'agent-service': '/api/healthcheck',
  'dev-model-server': '/health',
};
