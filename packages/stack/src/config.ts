import { isAbsolute, join, resolve } from 'node:path';
import {
  ConfigError,
  envVar,
  httpUrl,
  parseEnv,
  port,
  SERVICES,
  type ServiceName,
} from '@agentauth/service-runtime';
import { z } from 'zod';

/** What `pnpm start` runs, read once from the environment. */
export interface StackConfig {
  readonly repoRoot: string;
  /** Where the gateway listens: the URL users open. */
  readonly gatewayHost: string;
  readonly gatewayPort: number;
  readonly acsPort: number;
  readonly agentServicePort: number;
  /** The dev model server's port; undefined when `LLM_BASE_URL` names a real provider. */
  readonly devModelPort: number | undefined;
  /** The LLM API root the agent-service uses. */
  readonly llmBaseUrl: string;
  /** Secret, agent database and the rendered nginx config live here (git-ignored `.agentauth/`). */
  readonly dataDir: string;
  readonly webRoot: string;
  readonly authCache: boolean;
}

/** A configuration problem, in one sentence naming the variable (the runtime's ConfigError). */
export const StackConfigError = ConfigError;

/** The environment variables `pnpm start` reads (besides the services' own, passed through). */
export const STACK_ENV = {
  gatewayHost: 'AGENTAUTH_GATEWAY_HOST',
  gatewayPort: 'AGENTAUTH_GATEWAY_PORT',
  acsPort: 'AGENTAUTH_ACS_PORT',
  agentServicePort: 'AGENTAUTH_AGENT_SERVICE_PORT',
  devModelPort: 'AGENTAUTH_DEV_MODEL_PORT',
  dataDir: 'AGENTAUTH_DATA_DIR',
  webRoot: 'AGENTAUTH_WEB_ROOT',
  authCache: 'AGENTAUTH_AUTH_CACHE',
  skipBuild: 'AGENTAUTH_SKIP_BUILD',
  llmBaseUrl: 'LLM_BASE_URL',
} as const;

const servicePort = (name: string, service: ServiceName, what: string) =>
  envVar(port(name, 1), { description: `${what} port` }, SERVICES[service].defaultPort);

/** The variables `pnpm start` reads itself (docs table: packages/stack/README.md). */
export const StackEnvSchema = z.object({
  [STACK_ENV.gatewayHost]: envVar(
    z.string().regex(/^[A-Za-z0-9.:-]+$/, {
      error: `${STACK_ENV.gatewayHost} must be an IP address or a host name.`,
    }),
    { description: 'address the gateway listens on' },
    '127.0.0.1',
  ),
  [STACK_ENV.gatewayPort]: envVar(
    port(STACK_ENV.gatewayPort, 1),
    { description: 'gateway port: the URL users open' },
    8080,
  ),
  [STACK_ENV.acsPort]: servicePort(
    STACK_ENV.acsPort,
    'access-control-service',
    'access-control-service',
  ),
  [STACK_ENV.agentServicePort]: servicePort(
    STACK_ENV.agentServicePort,
    'agent-service',
    'agent-service',
  ),
  [STACK_ENV.devModelPort]: servicePort(
    STACK_ENV.devModelPort,
    'dev-model-server',
    'dev model server',
  ),
  [STACK_ENV.dataDir]: envVar(z.string(), {
    description: 'secret, agent database, nginx config and logs',
    default: '<repo>/.agentauth',
  }),
  [STACK_ENV.webRoot]: envVar(z.string(), {
    description: 'the built web app',
    default: '<repo>/packages/web/dist',
  }),
  [STACK_ENV.authCache]: envVar(
    z
      .enum(['true', 'false', '1', '0'], {
        error: `${STACK_ENV.authCache} must be "true" or "false".`,
      })
      .transform((v) => v === 'true' || v === '1'),
    { description: 'nginx auth decision cache (docs/single-node.md)' },
    false,
  ),
  [STACK_ENV.skipBuild]: envVar(z.string(), {
    description: '`1`: skip the turbo build (tests, repeated starts)',
  }),
  [STACK_ENV.llmBaseUrl]: envVar(httpUrl(STACK_ENV.llmBaseUrl, 'http://127.0.0.1:4000/v1'), {
    description: 'a real OpenAI-compatible provider instead of the dev model server',
  }),
});

/**
 * Reads the stack's environment, applying the runtime defaults (gateway 8080, access-control-service
 * 9096, agent-service 3001, dev model 4000, data in `<repo>/.agentauth`).
 * @example loadStackConfig({ AGENTAUTH_GATEWAY_PORT: '9090' }, '/src/agentauth')
 */
export function loadStackConfig(
  env: Readonly<Record<string, string | undefined>>,
  repoRoot: string,
  cwd: string = process.cwd(),
): StackConfig {
  const v = parseEnv(StackEnvSchema, env);
  const path = (value: string | undefined, fallback: string) =>
    value ? (isAbsolute(value) ? value : resolve(cwd, value)) : fallback;
  const llm = v[STACK_ENV.llmBaseUrl];
  const devModelPort = llm ? undefined : v[STACK_ENV.devModelPort];
  const config: StackConfig = {
    repoRoot,
    gatewayHost: v[STACK_ENV.gatewayHost],
    gatewayPort: v[STACK_ENV.gatewayPort],
    acsPort: v[STACK_ENV.acsPort],
    agentServicePort: v[STACK_ENV.agentServicePort],
    devModelPort,
    llmBaseUrl: llm || `http://127.0.0.1:${v[STACK_ENV.devModelPort]}/v1`,
    dataDir: path(v[STACK_ENV.dataDir], join(repoRoot, '.agentauth')),
    webRoot: path(v[STACK_ENV.webRoot], join(repoRoot, 'packages/web/dist')),
    authCache: v[STACK_ENV.authCache],
  };
  const ports = [config.gatewayPort, config.acsPort, config.agentServicePort, config.devModelPort];
  const used = ports.filter((p) => p !== undefined);
  if (new Set(used).size !== used.length) {
    throw new ConfigError(
      `${STACK_ENV.gatewayPort}, ${STACK_ENV.acsPort}, ${STACK_ENV.agentServicePort} and ${STACK_ENV.devModelPort} must be different ports.`,
    );
  }
  return config;
}
