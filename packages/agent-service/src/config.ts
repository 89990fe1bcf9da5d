import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ACCESS_MODES, type AccessMode, DEFAULT_WS_MAX_PAYLOAD } from '@agentauth/agent-api';
import { type JwtSecret, loadSecret, SecretConfigError } from '@agentauth/auth-core';
import {
  asConfigError,
  ConfigError,
  duration,
  envVar,
  httpUrl,
  integer,
  type LogLevel,
  parseEnv,
  port,
  requiredVar,
  serviceEnv,
} from '@agentauth/service-runtime';
import { z } from 'zod';
import { DEFAULT_LIMITS, type UserLimits } from './usage/usage-store.js';
import { DEFAULT_SOCKET_LIMITS, type SocketLimits } from './ws/socket-limits.js';

export { ConfigError };

export interface AgentServiceConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
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
  /** Snapshot budget, backpressure ceiling and per-user socket caps. */
  readonly socketLimits: SocketLimits;
  /** Port of the separate Prometheus `/metrics` listener; undefined = off. */
  readonly metricsPort: number | undefined;
  readonly secret: JwtSecret;
}

const LLM_EXAMPLE = 'http://127.0.0.1:4000/v1';

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
/** This process's replica name unless AGENT_REPLICA_ID says otherwise: two on one host differ. */
const DEFAULT_REPLICA_ID = `${hostname()}-${randomBytes(3).toString('hex')}`;

/** The variables this service reads besides the auth core's secret ones (docs table: README). */
export const EnvSchema = z.object({
  ...serviceEnv('agent-service'),
  LLM_BASE_URL: requiredVar(
    httpUrl('LLM_BASE_URL', LLM_EXAMPLE),
    {
      description:
        'OpenAI-compatible API root, e.g. `http://litellm:4000/v1` or the dev model server `http://127.0.0.1:4000/v1`',
    },
    `LLM_BASE_URL is required (the OpenAI-compatible API root, e.g. ${LLM_EXAMPLE}).`,
  ),
  LLM_API_KEY: envVar(z.string(), {
    description: 'sent as `Authorization: Bearer` to the LLM endpoint; never logged',
  }),
  LLM_TIMEOUT_MS: envVar(
    duration('LLM_TIMEOUT_MS', 1000, 3_600_000),
    { description: 'limit for one LLM request, stream included (1000–3600000)' },
    120_000,
  ),
  AGENT_DB_PATH: envVar(
    z.string(),
    {
      description:
        'SQLite file; its directory must exist; ignored when `AGENT_DATABASE_URL` is set',
    },
    './data/agents.db',
  ),
  // The message never repeats the value: a connection string may carry a password.
  AGENT_DATABASE_URL: envVar(
    z.string().refine((v) => /^postgres(ql)?:$/.test(protocolOf(v)), {
      error: 'AGENT_DATABASE_URL must be a postgres:// or postgresql:// URL.',
    }),
    {
      description:
        '`postgres://user:password@host:5432/db`: PostgreSQL mode, several replicas (unset: SQLite); never logged',
    },
  ),
  AGENT_DB_POOL_MAX: envVar(
    integer('AGENT_DB_POOL_MAX', 1, 200, 'connections'),
    { description: 'pooled PostgreSQL connections per replica (1–200), plus one for LISTEN' },
    10,
  ),
  AGENT_DB_CONNECT_TIMEOUT_MS: envVar(
    duration('AGENT_DB_CONNECT_TIMEOUT_MS', 100, 120_000),
    { description: 'one PostgreSQL connection attempt (100–120000)' },
    5000,
  ),
  AGENT_RUN_LEASE_MS: envVar(
    duration('AGENT_RUN_LEASE_MS', 1000, 600_000),
    { description: "run lease (1000–600000): a dead replica's agent runs again within it" },
    15_000,
  ),
  AGENT_RUN_GRACE_MS: envVar(
    duration('AGENT_RUN_GRACE_MS', 0, 3_600_000),
    {
      description:
        'on SIGTERM, how long running runs may finish (0–3600000) before they are recorded as interrupted',
    },
    25_000,
  ),
  AGENT_REPLICA_ID: envVar(
    z.string().regex(/^[\w.-]{1,100}$/, {
      error: 'AGENT_REPLICA_ID must be 1-100 letters, digits, dots, dashes or underscores.',
    }),
    { description: 'this replica in run leases and logs', default: 'host name + random suffix' },
  ),
  CORS_ORIGINS: envVar(
    z
      .string()
      .transform(commaList)
      .refine((list) => list.every(isOrigin), {
        error:
          'CORS_ORIGINS must be a comma list of origins such as https://app.example.com (no paths, no *).',
      }),
    {
      description:
        'comma list of exact origins (`https://app.example`) allowed cross-origin; `*` is refused',
      default: 'none',
    },
    [] as string[],
  ),
  WS_MAX_PAYLOAD: envVar(
    integer('WS_MAX_PAYLOAD', 1024, 16 * 1024 * 1024, 'bytes'),
    { description: 'largest WebSocket frame in bytes (1024–16777216); bigger → close 1009' },
    DEFAULT_WS_MAX_PAYLOAD,
  ),
  WS_SNAPSHOT_MAX_BYTES: envVar(
    integer('WS_SNAPSHOT_MAX_BYTES', 1024, 16 * 1024 * 1024, 'bytes'),
    {
      description:
        'byte budget of the steps in a WebSocket snapshot (1024–16777216); older steps come from `GET /api/agents/:id/steps`',
    },
    DEFAULT_SOCKET_LIMITS.snapshotMaxBytes,
  ),
  WS_MAX_BUFFERED_BYTES: envVar(
    integer('WS_MAX_BUFFERED_BYTES', 65_536, 1024 ** 3, 'bytes'),
    {
      description:
        'a socket with more than this waiting to be sent (a client that does not read) is closed with 4408',
    },
    DEFAULT_SOCKET_LIMITS.maxBufferedBytes,
  ),
  WS_MAX_SOCKETS_PER_USER: envVar(
    integer('WS_MAX_SOCKETS_PER_USER', 1, 100_000),
    { description: 'WebSockets one user id may hold open at once, over every agent; beyond: 429' },
    DEFAULT_SOCKET_LIMITS.maxSocketsPerUser,
  ),
  WS_UPGRADES_PER_MINUTE: envVar(
    integer('WS_UPGRADES_PER_MINUTE', 1, 1_000_000),
    {
      description:
        'WebSocket upgrades per user id per minute (refused ones count); beyond: 429 with `Retry-After`',
    },
    DEFAULT_SOCKET_LIMITS.upgradesPerMinute,
  ),
  METRICS_PORT: envVar(port('METRICS_PORT'), {
    description: 'Prometheus `/metrics` on a separate listener (same `HOST`); unset = off',
  }),
  AGENT_ACCESS_POLICY: envVar(
    z.enum(ACCESS_MODES, {
      error: `AGENT_ACCESS_POLICY must be one of ${ACCESS_MODES.join(', ')}.`,
    }),
    {
      description:
        '`shared` (any REGULAR/ADMIN user on any agent) or `owner` (own agents only, an ADMIN all; others answer 404)',
    },
    'shared' as AccessMode,
  ),
  LLM_MAX_TOKENS: envVar(
    integer('LLM_MAX_TOKENS', 1, 1_000_000, 'tokens'),
    { description: '`max_tokens` of every chat call' },
    DEFAULT_LIMITS.maxTokensPerCall,
  ),
  LLM_MODEL_ALLOWLIST: envVar(
    z.string().transform(commaList),
    { description: 'comma list of the models agents may use', default: 'all the provider lists' },
    [] as string[],
  ),
  LLM_MODELS_REFRESH_MS: envVar(
    duration('LLM_MODELS_REFRESH_MS', 1000, 86_400_000),
    { description: "cache time of the provider's model list" },
    60_000,
  ),
  USER_MAX_CONCURRENT_RUNS: envVar(
    integer('USER_MAX_CONCURRENT_RUNS', 1, 10_000, 'runs'),
    { description: 'runs one user may have going at once, over all their agents and replicas' },
    DEFAULT_LIMITS.maxConcurrentRuns,
  ),
  USER_RUN_STARTS_PER_MINUTE: envVar(
    integer('USER_RUN_STARTS_PER_MINUTE', 1, 100_000, 'runs'),
    { description: 'runs one user may start in any 60 s' },
    DEFAULT_LIMITS.runStartsPerMinute,
  ),
  USER_DAILY_TOKEN_BUDGET: envVar(integer('USER_DAILY_TOKEN_BUDGET', 1, 1e12, 'tokens'), {
    description: 'prompt + completion tokens one user may spend per UTC day',
    default: 'none',
  }),
});

function protocolOf(value: string): string {
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
  const e = parseEnv(EnvSchema, env);
  const secret = await asConfigError(() => loadSecret(env), [SecretConfigError]);
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
    databaseUrl: e.AGENT_DATABASE_URL,
    db: { poolMax: e.AGENT_DB_POOL_MAX, connectTimeoutMs: e.AGENT_DB_CONNECT_TIMEOUT_MS },
    runs: {
      leaseMs: e.AGENT_RUN_LEASE_MS,
      graceMs: e.AGENT_RUN_GRACE_MS,
      replicaId: e.AGENT_REPLICA_ID ?? DEFAULT_REPLICA_ID,
    },
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
