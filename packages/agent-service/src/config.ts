import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DEFAULT_WS_MAX_PAYLOAD } from '@agentauth/agent-api';
import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import { z } from 'zod';

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
  };
  /** SQLite file (the default, one replica); ignored when `databaseUrl` is set. */
  readonly dbPath: string;
  /** PostgreSQL connection string (several replicas); never logged, may hold a password. */
  readonly databaseUrl: string | undefined;
  readonly db: {
    /** Most pooled connections per replica (the LISTEN connection comes on top). */
    readonly poolMax: number;
    readonly connectTimeoutMs: number;
  };
  readonly runs: {
    /** A run lease lasts this long unless renewed; a dead replica's run is released after it. */
    readonly leaseMs: number;
    /** On SIGTERM, how long running runs may finish before they are recorded as interrupted. */
    readonly graceMs: number;
    /** This replica's name in run leases (default: host name and a random suffix). */
    readonly replicaId: string;
  };
  /** Exact origins allowed to call the REST API cross-origin; empty = none. */
  readonly corsOrigins: readonly string[];
  readonly wsMaxPayload: number;
  /** Port of the separate Prometheus `/metrics` listener; undefined = off. */
  readonly metricsPort: number | undefined;
  readonly secret: JwtSecret;
}

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
  // The message never repeats the value: a connection string may carry a password.
  AGENT_DATABASE_URL: z
    .string()
    .refine(
      (v) => /^postgres(ql)?:$/.test(safeProtocol(v)),
      'AGENT_DATABASE_URL must be a postgres:// or postgresql:// URL',
    )
    .optional(),
  AGENT_DB_POOL_MAX: z.coerce
    .number({ error: 'AGENT_DB_POOL_MAX must be a number of connections' })
    .int('AGENT_DB_POOL_MAX must be a whole number')
    .min(1, 'AGENT_DB_POOL_MAX must be at least 1')
    .max(200, 'AGENT_DB_POOL_MAX must be at most 200')
    .default(10),
  AGENT_DB_CONNECT_TIMEOUT_MS: z.coerce
    .number({ error: 'AGENT_DB_CONNECT_TIMEOUT_MS must be a number of milliseconds' })
    .int('AGENT_DB_CONNECT_TIMEOUT_MS must be a whole number')
    .min(100, 'AGENT_DB_CONNECT_TIMEOUT_MS must be at least 100')
    .max(120_000, 'AGENT_DB_CONNECT_TIMEOUT_MS must be at most 120000')
    .default(5000),
  AGENT_RUN_LEASE_MS: z.coerce
    .number({ error: 'AGENT_RUN_LEASE_MS must be a number of milliseconds' })
    .int('AGENT_RUN_LEASE_MS must be a whole number')
    .min(1000, 'AGENT_RUN_LEASE_MS must be at least 1000')
    .max(600_000, 'AGENT_RUN_LEASE_MS must be at most 600000')
    .default(15_000),
  AGENT_RUN_GRACE_MS: z.coerce
    .number({ error: 'AGENT_RUN_GRACE_MS must be a number of milliseconds' })
    .int('AGENT_RUN_GRACE_MS must be a whole number')
    .min(0, 'AGENT_RUN_GRACE_MS must be at least 0')
    .max(3_600_000, 'AGENT_RUN_GRACE_MS must be at most 3600000')
    .default(25_000),
  AGENT_REPLICA_ID: z
    .string()
    .regex(
      /^[\w.-]{1,100}$/,
      'AGENT_REPLICA_ID must be 1-100 letters, digits, dots, dashes or underscores',
    )
    .optional(),
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
    },
    dbPath: e.AGENT_DB_PATH,
    databaseUrl: e.AGENT_DATABASE_URL,
    db: { poolMax: e.AGENT_DB_POOL_MAX, connectTimeoutMs: e.AGENT_DB_CONNECT_TIMEOUT_MS },
    runs: {
      leaseMs: e.AGENT_RUN_LEASE_MS,
      graceMs: e.AGENT_RUN_GRACE_MS,
      replicaId: e.AGENT_REPLICA_ID ?? `${hostname()}-${randomBytes(3).toString('hex')}`,
    },
    corsOrigins: e.CORS_ORIGINS.map((o) => o.replace(/\/$/, '')),
    wsMaxPayload: e.WS_MAX_PAYLOAD,
    metricsPort: e.METRICS_PORT,
    secret,
  };
}
