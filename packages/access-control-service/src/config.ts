import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import {
  asConfigError,
  ConfigError,
  envVar,
  integer,
  type LogLevel,
  parseEnv,
  serviceEnv,
} from '@agentauth/service-runtime';
import { z } from 'zod';
import { DEFAULT_BODY_TIMEOUT_MS } from './read-body.js';

export { ConfigError };

/** Everything the service reads from its environment, validated once at start-up. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** Verified tokens kept in memory; 0 turns the cache off. */
  readonly tokenCacheSize: number;
  /** Longest wait for an announced request body, ms. */
  readonly bodyTimeoutMs: number;
  readonly secret: JwtSecret;
}

/** The variables this service reads besides the auth core's secret ones (docs table: README). */
export const EnvSchema = z.object({
  ...serviceEnv('access-control-service'),
  TOKEN_CACHE_SIZE: envVar(
    integer('TOKEN_CACHE_SIZE', 0, 10_000_000),
    { description: 'verified tokens remembered until they expire; `0` turns the cache off' },
    10_000,
  ),
  BODY_TIMEOUT_MS: envVar(
    integer('BODY_TIMEOUT_MS', 100, 60_000),
    {
      description:
        'longest wait for an announced request body, ms; one still incomplete then is denied (401 `ERR_TOKEN_MALFORMED`) and its connection closed',
    },
    DEFAULT_BODY_TIMEOUT_MS,
  ),
});

/**
 * Reads and validates the environment: `PORT`, `HOST`, `LOG_LEVEL`, `TOKEN_CACHE_SIZE` and the
 * secret variables of the auth core (`AUTH_JWT_SECRET`, `AUTH_CONF_PATH`,
 * `AGENTAUTH_INSECURE_DEV_SECRET`). Throws a {@link ConfigError} with one sentence on the first
 * problem; a weak secret is refused unless the insecure-development switch is set.
 * @example const config = await loadConfig(process.env) // { port: 9096, host: '127.0.0.1', … }
 */
export async function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Config> {
  const values = parseEnv(EnvSchema, env);
  const secret = await asConfigError(() => loadSecret(env), [SecretConfigError]);
  return {
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    tokenCacheSize: values.TOKEN_CACHE_SIZE,
    bodyTimeoutMs: values.BODY_TIMEOUT_MS,
    secret,
  };
}
