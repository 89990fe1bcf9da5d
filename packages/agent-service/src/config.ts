import { DEFAULT_WS_MAX_PAYLOAD } from '@agentauth/agent-api';
import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import { z } from 'zod';
import type { SocketLimits } from './ws/socket-limits.js';
import { DEFAULT_SOCKET_LIMITS } from './ws/socket-limits.js';

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
  readonly dbPath: string;
  /** Exact origins allowed to call the REST API cross-origin; empty = none. */
  readonly corsOrigins: readonly string[];
  readonly wsMaxPayload: number;
  /** Snapshot budget, backpressure ceiling and per-user socket caps. */
  readonly socketLimits: SocketLimits;
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
  WS_SNAPSHOT_MAX_BYTES: count('WS_SNAPSHOT_MAX_BYTES', 'bytes', 1024, 16 * 1024 * 1024).default(
    DEFAULT_SOCKET_LIMITS.snapshotMaxBytes,
  ),
  WS_MAX_BUFFERED_BYTES: count('WS_MAX_BUFFERED_BYTES', 'bytes', 65_536, 1024 ** 3).default(
    DEFAULT_SOCKET_LIMITS.maxBufferedBytes,
  ),
  WS_MAX_SOCKETS_PER_USER: count('WS_MAX_SOCKETS_PER_USER', 'sockets', 1, 100_000).default(
    DEFAULT_SOCKET_LIMITS.maxSocketsPerUser,
  ),
  WS_UPGRADES_PER_MINUTE: count('WS_UPGRADES_PER_MINUTE', 'upgrades', 1, 1_000_000).default(
    DEFAULT_SOCKET_LIMITS.upgradesPerMinute,
  ),
  METRICS_PORT: port('METRICS_PORT').optional(),
});

function count(name: string, unit: string, min: number, max: number) {
  return z.coerce
    .number({ error: `${name} must be a number of ${unit}` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);
}

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
    corsOrigins: e.CORS_ORIGINS.map((o) => o.replace(/\/$/, '')),
    wsMaxPayload: e.WS_MAX_PAYLOAD,
    socketLimits: {
      snapshotMaxBytes: e.WS_SNAPSHOT_MAX_BYTES,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      maxSocketsPerUser: e.WS_MAX_SOCKETS_PER_USER,
      upgradesPerMinute: e.WS_UPGRADES_PER_MINUTE,
    },
    metricsPort: e.METRICS_PORT,
    secret,
  };
}
