import { ACCESS_MODES, type AccessMode, DEFAULT_WS_MAX_PAYLOAD } from '@agentauth/agent-api';
import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import { z } from 'zod';
import { DEFAULT_LIMITS, type UserLimits } from './usage/usage-store.js';

/** A configuration problem, in one sentence that names the variable to fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface AgentServiceConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly llm: {
    /** OpenAI-style API root, e.g. `http://litellm:4000/v1`; `/models` and `/chat/completions` hang off it. */
    readonly baseUrl: string;
    readonly apiKey: string | undefined;
    readonly timeoutMs: number;
    /** `max_tokens` sent with every chat call. */
    readonly maxTokens: number;
    /** Models an agent may use (empty = every model the provider lists). */
    readonly modelAllowList: readonly string[];
    /** How long the provider's model list is cached. */
    readonly modelsRefreshMs: number;
  };
  /** `AGENT_ACCESS_POLICY`: who may reach which agent. */
  readonly accessPolicy: AccessMode;
  /** Per-user limits, enforced through the usage store (so they hold across replicas). */
  readonly limits: UserLimits;
  readonly dbPath: string;
  /** Exact origins allowed to call the REST API cross-origin; empty = none. */
  readonly corsOrigins: readonly string[];
  readonly wsMaxPayload: number;
  /** Port of the separate Prometheus `/metrics` listener; undefined = off. */
  readonly metricsPort: number | undefined;
  readonly secret: JwtSecret;
}

const whole = (name: string, min: number, max: number, unit: string) =>
  z.coerce
    .number({ error: `${name} must be a number of ${unit}` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65_535, `${name} must be between 0 and 65535`);

const Env = z.object({
  PORT: port('PORT').default(3001),
  HOST: z.string().min(1, 'HOST must not be empty').default('127.0.0.1'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  LLM_BASE_URL: z
    .string({
      error:
        'LLM_BASE_URL is required (the OpenAI-compatible API root, e.g. http://127.0.0.1:4000/v1)',
    })
    .min(
      1,
      'LLM_BASE_URL is required (the OpenAI-compatible API root, e.g. http://127.0.0.1:4000/v1)',
    )
    .refine((v) => /^https?:$/.test(safeProtocol(v)), 'LLM_BASE_URL must be an http(s) URL'),
  LLM_API_KEY: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce
    .number({ error: 'LLM_TIMEOUT_MS must be a number of milliseconds' })
    .int('LLM_TIMEOUT_MS must be a whole number')
    .min(1000, 'LLM_TIMEOUT_MS must be at least 1000')
    .max(3_600_000, 'LLM_TIMEOUT_MS must be at most 3600000')
    .default(120_000),
  AGENT_DB_PATH: z.string().min(1, 'AGENT_DB_PATH must not be empty').default('./data/agents.db'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every(isOrigin),
      'CORS_ORIGINS must be a comma list of origins such as https://app.example.com (no paths, no *)',
    ),
  WS_MAX_PAYLOAD: z.coerce
    .number({ error: 'WS_MAX_PAYLOAD must be a number of bytes' })
    .int('WS_MAX_PAYLOAD must be a whole number')
    .min(1024, 'WS_MAX_PAYLOAD must be at least 1024')
    .max(16 * 1024 * 1024, 'WS_MAX_PAYLOAD must be at most 16777216')
    .default(DEFAULT_WS_MAX_PAYLOAD),
  METRICS_PORT: port('METRICS_PORT').optional(),
  AGENT_ACCESS_POLICY: z
    .enum(ACCESS_MODES, {
      error: `AGENT_ACCESS_POLICY must be one of ${ACCESS_MODES.join(', ')}`,
    })
    .default('shared'),
  LLM_MAX_TOKENS: whole('LLM_MAX_TOKENS', 1, 1_000_000, 'tokens').default(
    DEFAULT_LIMITS.maxTokensPerCall,
  ),
  LLM_MODEL_ALLOWLIST: z.string().default('').transform(commaList),
  LLM_MODELS_REFRESH_MS: whole('LLM_MODELS_REFRESH_MS', 1000, 86_400_000, 'milliseconds').default(
    60_000,
  ),
  USER_MAX_CONCURRENT_RUNS: whole('USER_MAX_CONCURRENT_RUNS', 1, 10_000, 'runs').default(
    DEFAULT_LIMITS.maxConcurrentRuns,
  ),
  USER_RUN_STARTS_PER_MINUTE: whole('USER_RUN_STARTS_PER_MINUTE', 1, 100_000, 'runs').default(
    DEFAULT_LIMITS.runStartsPerMinute,
  ),
  USER_DAILY_TOKEN_BUDGET: whole('USER_DAILY_TOKEN_BUDGET', 1, 1e12, 'tokens').optional(),
});

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/**
 * Reads and validates the environment once, including the JWT secret (auth core `loadSecret`).
 * Throws a ConfigError with one sentence naming the variable; never falls back silently.
 * @example const config = await loadConfig(process.env)
 */
export async function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
): Promise<AgentServiceConfig> {
  // Treat empty strings as unset for optional variables, as shells and charts often export them.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== '' || key === 'LLM_BASE_URL'),
  );
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const message = issue?.message ?? 'invalid value';
    throw new ConfigError(message.startsWith(name) ? `${message}.` : `${name}: ${message}.`);
  }
  let secret: JwtSecret;
  try {
    secret = await loadSecret(env);
  } catch (error) {
    if (error instanceof SecretConfigError) throw new ConfigError(error.message);
    throw error;
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    llm: {
      baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''),
      apiKey: e.LLM_API_KEY,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxTokens: e.LLM_MAX_TOKENS,
      modelAllowList: e.LLM_MODEL_ALLOWLIST,
      modelsRefreshMs: e.LLM_MODELS_REFRESH_MS,
    },
    accessPolicy: e.AGENT_ACCESS_POLICY,
    limits: {
      maxConcurrentRuns: e.USER_MAX_CONCURRENT_RUNS,
      runStartsPerMinute: e.USER_RUN_STARTS_PER_MINUTE,
      dailyTokenBudget: e.USER_DAILY_TOKEN_BUDGET,
    },
    dbPath: e.AGENT_DB_PATH,
    corsOrigins: e.CORS_ORIGINS.map((o) => o.replace(/\/$/, '')),
    wsMaxPayload: e.WS_MAX_PAYLOAD,
    metricsPort: e.METRICS_PORT,
    secret,
  };
}
