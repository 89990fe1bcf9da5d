import { TEST_SECRET } from '@agentauth/auth-core/testing';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const base = { LLM_BASE_URL: 'http://127.0.0.1:4000/v1', AUTH_JWT_SECRET: TEST_SECRET };

describe('loadConfig', () => {
  it('applies the documented defaults', async () => {
    const config = await loadConfig(base);
    expect(config).toMatchObject({
      port: 3001,
      host: '127.0.0.1',
      logLevel: 'info',
      llm: { baseUrl: 'http://127.0.0.1:4000/v1', apiKey: undefined, timeoutMs: 120_000 },
      dbPath: './data/agents.db',
      corsOrigins: [],
      wsMaxPayload: 65_536,
      socketLimits: {
        snapshotMaxBytes: 262_144,
        maxBufferedBytes: 1_048_576,
        maxSocketsPerUser: 32,
        upgradesPerMinute: 60,
      },
      metricsPort: undefined,
      databaseUrl: undefined,
      db: { poolMax: 10, connectTimeoutMs: 5000 },
      runs: { leaseMs: 15_000, graceMs: 25_000 },
      accessPolicy: 'shared',
      limits: { maxConcurrentRuns: 3, runStartsPerMinute: 30, dailyTokenBudget: undefined },
    });
    expect(config.llm).toMatchObject({
      maxTokens: 4096,
      modelAllowList: [],
      modelsRefreshMs: 60_000,
    });
    expect(config.secret.source).toBe('env');
    expect(JSON.stringify(config)).not.toContain(TEST_SECRET);
  });

  it('reads every variable', async () => {
    const config = await loadConfig({
      ...base,
      PORT: '8001',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      LLM_BASE_URL: 'https://litellm.example/v1/',
      LLM_API_KEY: 'sk-1',
      LLM_TIMEOUT_MS: '5000',
      AGENT_DB_PATH: '/var/lib/agents.db',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173/',
      WS_MAX_PAYLOAD: '4096',
      WS_SNAPSHOT_MAX_BYTES: '65536',
      WS_MAX_BUFFERED_BYTES: '131072',
      WS_MAX_SOCKETS_PER_USER: '4',
      WS_UPGRADES_PER_MINUTE: '10',
      METRICS_PORT: '9464',
      AGENT_DATABASE_URL: 'postgresql://agent:pw@db:5432/agents',
      AGENT_DB_POOL_MAX: '4',
      AGENT_DB_CONNECT_TIMEOUT_MS: '2000',
      AGENT_RUN_LEASE_MS: '5000',
      AGENT_RUN_GRACE_MS: '20000',
      AGENT_REPLICA_ID: 'pod-1',
      AGENT_ACCESS_POLICY: 'owner',
      LLM_MAX_TOKENS: '512',
      LLM_MODEL_ALLOWLIST: 'gpt-4o-mini, dev-model',
      LLM_MODELS_REFRESH_MS: '5000',
      USER_MAX_CONCURRENT_RUNS: '2',
      USER_RUN_STARTS_PER_MINUTE: '10',
      USER_DAILY_TOKEN_BUDGET: '100000',
    });
    expect(config).toMatchObject({
      accessPolicy: 'owner',
      llm: { maxTokens: 512, modelAllowList: ['gpt-4o-mini', 'dev-model'], modelsRefreshMs: 5000 },
      limits: { maxConcurrentRuns: 2, runStartsPerMinute: 10, dailyTokenBudget: 100_000 },
    });
    expect(config).toMatchObject({
      port: 8001,
      host: '0.0.0.0',
      logLevel: 'debug',
      llm: { baseUrl: 'https://litellm.example/v1', apiKey: 'sk-1', timeoutMs: 5000 },
      dbPath: '/var/lib/agents.db',
      corsOrigins: ['https://a.example', 'http://localhost:5173'],
      wsMaxPayload: 4096,
      socketLimits: {
        snapshotMaxBytes: 65_536,
        maxBufferedBytes: 131_072,
        maxSocketsPerUser: 4,
        upgradesPerMinute: 10,
      },
      metricsPort: 9464,
      databaseUrl: 'postgresql://agent:pw@db:5432/agents',
      db: { poolMax: 4, connectTimeoutMs: 2000 },
      runs: { leaseMs: 5000, graceMs: 20000, replicaId: 'pod-1' },
    });
  });

  it('treats every empty variable as unset', async () => {
    const empty = Object.fromEntries(
      [
        'PORT',
        'HOST',
        'LOG_LEVEL',
        'LLM_API_KEY',
        'LLM_TIMEOUT_MS',
        'AGENT_DB_PATH',
        'AGENT_DATABASE_URL',
        'AGENT_DB_POOL_MAX',
        'AGENT_DB_CONNECT_TIMEOUT_MS',
        'AGENT_RUN_LEASE_MS',
        'AGENT_RUN_GRACE_MS',
        'AGENT_REPLICA_ID',
        'CORS_ORIGINS',
        'WS_MAX_PAYLOAD',
        'METRICS_PORT',
      ].map((n) => [n, '']),
    );
    expect(await loadConfig({ ...base, ...empty })).toEqual(await loadConfig(base));
  });

  it.each([
    [{ LLM_BASE_URL: undefined }, /^LLM_BASE_URL is required/],
    [{ LLM_BASE_URL: '' }, /^LLM_BASE_URL is required/],
    [
      { LLM_BASE_URL: 'litellm:4000' },
      /^LLM_BASE_URL must be an http\(s\) URL such as http:\/\/127\.0\.0\.1:4000\/v1\.$/,
    ],
    [{ PORT: 'abc' }, /^PORT must be a whole number between 0 and 65535\.$/],
    [{ PORT: '70000' }, /^PORT must be a whole number between 0 and 65535\.$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ METRICS_PORT: 'x' }, /^METRICS_PORT must be a whole number between 0 and 65535\.$/],
    [{ LLM_TIMEOUT_MS: '5' }, /^LLM_TIMEOUT_MS must be a whole number of milliseconds between/],
    [{ CORS_ORIGINS: '*' }, /^CORS_ORIGINS must be a comma list of origins/],
    [{ CORS_ORIGINS: 'https://a.example/app' }, /^CORS_ORIGINS must be a comma list/],
    [
      { WS_MAX_PAYLOAD: '10' },
      /^WS_MAX_PAYLOAD must be a whole number of bytes between 1024 and 16777216\.$/,
    ],
    [{ AGENT_ACCESS_POLICY: 'open' }, /^AGENT_ACCESS_POLICY must be one of shared, owner\.$/],
    [
      { USER_MAX_CONCURRENT_RUNS: '0' },
      /^USER_MAX_CONCURRENT_RUNS must be a whole number of runs between 1 and 10000\.$/,
    ],
    [
      { USER_DAILY_TOKEN_BUDGET: 'lots' },
      /^USER_DAILY_TOKEN_BUDGET must be a whole number of tokens/,
    ],
    [{ LLM_MAX_TOKENS: '1.5' }, /^LLM_MAX_TOKENS must be a whole number of tokens/],
    [
      { WS_SNAPSHOT_MAX_BYTES: 'lots' },
      /^WS_SNAPSHOT_MAX_BYTES must be a whole number of bytes between 1024 and 16777216\.$/,
    ],
    [{ WS_MAX_BUFFERED_BYTES: '100' }, /^WS_MAX_BUFFERED_BYTES must be a whole number of bytes/],
    [{ WS_MAX_SOCKETS_PER_USER: '0' }, /^WS_MAX_SOCKETS_PER_USER must be a whole number between 1/],
    [{ WS_UPGRADES_PER_MINUTE: '1.5' }, /^WS_UPGRADES_PER_MINUTE must be a whole number between 1/],
    [
      { AGENT_DATABASE_URL: 'mysql://db/agents' },
      /^AGENT_DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL\.$/,
    ],
    [
      { AGENT_DB_POOL_MAX: '0' },
      /^AGENT_DB_POOL_MAX must be a whole number of connections between 1 and 200\.$/,
    ],
    [{ AGENT_RUN_LEASE_MS: '10' }, /^AGENT_RUN_LEASE_MS must be a whole number of milliseconds/],
    [{ AGENT_RUN_GRACE_MS: '-1' }, /^AGENT_RUN_GRACE_MS must be a whole number of milliseconds/],
    [{ AGENT_REPLICA_ID: 'a b' }, /^AGENT_REPLICA_ID must be 1-100 letters/],
    [{ AUTH_JWT_SECRET: '8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d' }, /public default/],
    [{ AUTH_JWT_SECRET: undefined }, /^No JWT secret is configured/],
  ])('refuses %j with one sentence naming the variable', async (patch, message) => {
    const env = { ...base, ...patch };
    const error = await loadConfig(env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
