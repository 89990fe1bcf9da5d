import { isAbsolute, join, resolve } from 'node:path';
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

/** A configuration problem, in one sentence naming the variable. */
export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

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

const port = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)))
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 65_535, {
      message: `${name} must be a port number between 1 and 65535.`,
    });

const schema = z.object({
  [STACK_ENV.gatewayHost]: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^[A-Za-z0-9.:-]+$/.test(v), {
      message: `${STACK_ENV.gatewayHost} must be an IP address or a host name.`,
    }),
  [STACK_ENV.gatewayPort]: port(STACK_ENV.gatewayPort, 8080),
  [STACK_ENV.acsPort]: port(STACK_ENV.acsPort, 9096),
  [STACK_ENV.agentServicePort]: port(STACK_ENV.agentServicePort, 3001),
  [STACK_ENV.devModelPort]: port(STACK_ENV.devModelPort, 4000),
  [STACK_ENV.authCache]: z
    .enum(['', 'true', 'false', '1', '0'], {
      message: `${STACK_ENV.authCache} must be "true" or "false".`,
    })
    .optional(),
  [STACK_ENV.llmBaseUrl]: z
    .string()
    .optional()
    .refine((v) => !v || /^https?:\/\/[^\s]+$/.test(v), {
      message: `${STACK_ENV.llmBaseUrl} must be an http(s) URL such as http://127.0.0.1:4000/v1.`,
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
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new StackConfigError(parsed.error.issues[0]?.message ?? 'The environment is invalid.');
  }
  const v = parsed.data;
  const path = (value: string | undefined, fallback: string) =>
    value ? (isAbsolute(value) ? value : resolve(cwd, value)) : fallback;
  const llm = v[STACK_ENV.llmBaseUrl];
  const devModelPort = llm ? undefined : v[STACK_ENV.devModelPort];
  const config: StackConfig = {
    repoRoot,
    gatewayHost: v[STACK_ENV.gatewayHost] || '127.0.0.1',
    gatewayPort: v[STACK_ENV.gatewayPort],
    acsPort: v[STACK_ENV.acsPort],
    agentServicePort: v[STACK_ENV.agentServicePort],
    devModelPort,
    llmBaseUrl: llm || `http://127.0.0.1:${v[STACK_ENV.devModelPort]}/v1`,
    dataDir: path(env[STACK_ENV.dataDir], join(repoRoot, '.agentauth')),
    webRoot: path(env[STACK_ENV.webRoot], join(repoRoot, 'packages/web/dist')),
    authCache: ['true', '1'].includes(v[STACK_ENV.authCache] ?? ''),
  };
  const ports = [config.gatewayPort, config.acsPort, config.agentServicePort, config.devModelPort];
  const used = ports.filter((p) => p !== undefined);
  if (new Set(used).size !== used.length) {
    throw new StackConfigError(
      `${STACK_ENV.gatewayPort}, ${STACK_ENV.acsPort}, ${STACK_ENV.agentServicePort} and ${STACK_ENV.devModelPort} must be different ports.`,
    );
  }
  return config;
}
