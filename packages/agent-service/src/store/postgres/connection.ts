import pg from 'pg';
import { reason, StoreOpenError, StoreUnavailableError } from '../agent-store.js';

/** Pool settings (`AGENT_DB_POOL_MAX`, `AGENT_DB_CONNECT_TIMEOUT_MS`). */
export interface PoolOptions {
  readonly max: number;
  readonly connectTimeoutMs: number;
}

/**
 * Where a connection string points, without user or password: safe for logs and errors.
 * @example describeDatabase('postgres://u:p@db:5432/agents') // 'db:5432/agents'
 */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get('host');
    const host = socket ?? (parsed.hostname || 'localhost');
    const port = socket ? '' : `:${parsed.port || '5432'}`;
    return `${host}${port}${parsed.pathname || '/'}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * SQLSTATE classes and socket errors that mean "the server is not there", as opposed to a bad
 * query: connection exceptions (08), operator intervention (57P0x), too many connections.
 */
function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') return true;
    if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ENOENT (socket), ETIMEDOUT, …
  }
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** Rethrows a connection failure as a StoreUnavailableError, anything else as it is. */
export function unavailable(error: unknown): never {
  if (isConnectionError(error)) {
    throw new StoreUnavailableError('The agent database is unreachable.', { cause: error });
  }
  throw error;
}

/**
 * A bounded pool. An idle connection that dies (server restart) is dropped by the pool and
 * replaced on the next query, so the service recovers by itself when the database returns.
 * @example const pool = createPool(url, { max: 10, connectTimeoutMs: 5000 }, logger.warn)
 */
export function createPool(url: string, options: PoolOptions, onIdleError: (e: Error) => void) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'agentauth-agent-service',
  });
  pool.on('error', onIdleError);
  return pool;
}

/** The first connection at start-up: a failure becomes one sentence naming the variable. */
export async function connectOrExplain(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new StoreOpenError(
      `AGENT_DATABASE_URL: cannot connect to PostgreSQL at ${describeDatabase(url)} (${reason(error)}).`,
    );
  }
}

/**
 * One statement on the pool; a connection failure rejects as StoreUnavailableError.
 * @example const { rows } = await query<{ n: number }>(pool, 'SELECT count(*)::int AS n FROM agents')
 */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  return pool.query<R>(sql, params).catch(unavailable);
}

/**
 * Runs `work` in one transaction on one pooled connection; rolls back on any error, which is
 * rethrown (a connection failure as StoreUnavailableError).
 * @example const merged = await inTransaction(pool, async (c) => { ... })
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch(unavailable);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    return unavailable(error);
  } finally {
    client.release();
  }
}
