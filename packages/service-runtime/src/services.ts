import { fileURLToPath } from 'node:url';

/** The one unauthenticated health route every service answers (`{status:"ok"}`, `no-store`). */
export const HEALTH_PATH = '/api/healthcheck';

/** What the stack, the e2e suite, the bench and the docs know about a service. */
export interface ServiceManifestEntry {
  readonly packageName: string;
  /** Built entry point, relative to the package folder. */
  readonly entry: string;
  readonly defaultPort: number;
  readonly healthPath: string;
}

/**
 * The services of the product, by folder name under `packages/`.
 * @example SERVICES['agent-service'].defaultPort // 3001
 */
export const SERVICES = {
  'access-control-service': {
    packageName: '@agentauth/access-control-service',
    entry: 'dist/main.js',
    defaultPort: 9096,
    healthPath: HEALTH_PATH,
  },
  'agent-service': {
    packageName: '@agentauth/agent-service',
    entry: 'dist/main.js',
    defaultPort: 3001,
    healthPath: HEALTH_PATH,
  },
  'dev-model-server': {
    packageName: '@agentauth/dev-model-server',
    entry: 'dist/main.js',
    defaultPort: 4000,
    healthPath: HEALTH_PATH,
  },
} as const satisfies Record<string, ServiceManifestEntry>;

export type ServiceName = keyof typeof SERVICES;

/** The checkout's `packages/` folder (this package sits in it, as source or built). */
const PACKAGES_DIR = new URL('../../', import.meta.url);

/**
 * The absolute path of a service's built entry point in this checkout.
 * @example serviceEntry('agent-service') // '/src/agentauth/packages/agent-service/dist/main.js'
 */
export function serviceEntry(name: ServiceName): string {
  return fileURLToPath(new URL(`${name}/${SERVICES[name].entry}`, PACKAGES_DIR));
}
