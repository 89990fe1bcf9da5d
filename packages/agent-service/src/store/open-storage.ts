import type { Logger } from 'pino';
import type { AgentServiceConfig } from '../config.js';
import { createLocalRuns } from '../runs/local-runs.js';
import { createPostgresRuns } from '../runs/postgres-runs.js';
import type { RunCoordinator } from '../runs/run-coordinator.js';
import { openPostgresUsageStore } from '../usage/postgres-usage-store.js';
import { openSqliteUsageStore } from '../usage/sqlite-usage-store.js';
import type { UsageStore } from '../usage/usage-store.js';
import type { AgentStore } from './agent-store.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';

/**
 * The store and run coordination the configuration selects: PostgreSQL when
 * `AGENT_DATABASE_URL` is set (several replicas), else SQLite at `AGENT_DB_PATH` with in-process
 * runs (one replica). Throws StoreOpenError with one sentence when the database cannot be used.
 * @example const { store, coordinator } = await openStorage(config, logger)
 */
export async function openStorage(
  config: Pick<AgentServiceConfig, 'dbPath' | 'databaseUrl' | 'db' | 'runs'>,
  logger: Logger,
): Promise<{ store: AgentStore; coordinator: RunCoordinator; usage: UsageStore }> {
  if (config.databaseUrl === undefined) {
    const { store, info } = openSqliteStore(config.dbPath);
    logger.info(info, info.created ? 'created a new agent database' : 'opened the agent database');
    // After the agent store: it must find a new file empty. Limits and usage live in the same file.
    return { store, coordinator: createLocalRuns(), usage: openSqliteUsageStore(config.dbPath) };
  }
  const url = config.databaseUrl;
  const { store, info, pool } = await openPostgresStore(url, {
    max: config.db.poolMax,
    connectTimeoutMs: config.db.connectTimeoutMs,
    onIdleError: (error) =>
      logger.warn({ reason: error.message }, 'a pooled database connection failed'),
  });
  logger.info(
    { ...info, poolMax: config.db.poolMax, replicaId: config.runs.replicaId },
    'opened the PostgreSQL agent database',
  );
  const coordinator = createPostgresRuns({
    pool,
    url,
    replicaId: config.runs.replicaId,
    leaseMs: config.runs.leaseMs,
    onError: (error, what) =>
      logger.warn({ reason: error instanceof Error ? error.message : String(error) }, what),
  });
  // Limits and usage in the same database, so every replica counts the same runs and tokens.
  return { store, coordinator, usage: await openPostgresUsageStore(pool) };
}
