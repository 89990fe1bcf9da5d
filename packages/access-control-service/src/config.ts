import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './logger.js';
import { DEFAULT_BODY_TIMEOUT_MS } from './read-body.js';

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

/** A configuration problem, in one sentence that names the variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// An empty variable counts as unset, as in most container tooling.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `${name} must be a whole number between ${min} and ${max}.` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, {
      error: `${name} must be a whole number between ${min} and ${max}.`,
    });

const EnvSchema = z.object({
  PORT: optional(integer('PORT', 0, 65_535)),
  HOST: optional(
    z.string().regex(/^[^\s/]+$/, { error: 'HOST must be a host name or an IP address.' }),
  ),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.` }),
  ),
  TOKEN_CACHE_SIZE: optional(integer('TOKEN_CACHE_SIZE', 0, 10_000_000)),
  BODY_TIMEOUT_MS: optional(integer('BODY_TIMEOUT_MS', 100, 60_000)),
});

/** Defaults of the runtime contract (docs/contributing.md). */
export const DEFAULTS = {
  port: 9096,
  host: '127.0.0.1',
  logLevel: 'info',
  tokenCacheSize: 10_000,
  bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS,
} as const;

/**
 * Reads and validates the environment: `PORT`, `HOST`, `LOG_LEVEL`, `TOKEN_CACHE_SIZE`, `BODY_TIMEOUT_MS` and the
 * secret variables of the auth core (`AUTH_JWT_SECRET`, `AUTH_CONF_PATH`,
 * `AGENTAUTH_INSECURE_DEV_SECRET`). Throws a {@link ConfigError} with one sentence on the first
 * problem; a weak secret is refused unless the insecure-development switch is set.
 * @example const config = await loadConfig(process.env) // { port: 9096, host: '127.0.0.1', … }
 */
export async function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues[0]?.message ?? 'The configuration is not valid.');
  }
  let secret: JwtSecret;
  try {
    secret = await loadSecret(env);
  } catch (error) {
    if (error instanceof SecretConfigError) throw new ConfigError(error.message);
    throw error;
  }
  const values = parsed.data;
  return {
    port: values.PORT ?? DEFAULTS.port,
    host: values.HOST ?? DEFAULTS.host,
    logLevel: values.LOG_LEVEL ?? DEFAULTS.logLevel,
    tokenCacheSize: values.TOKEN_CACHE_SIZE ?? DEFAULTS.tokenCacheSize,
    bodyTimeoutMs: values.BODY_TIMEOUT_MS ?? DEFAULTS.bodyTimeoutMs,
    secret,
  };
}
