import { type Agent, AgentSettings, Step, type UpdateSettingsRequest } from '@agentauth/agent-api';
import type pg from 'pg';
import {
  type AgentStore,
  type NewAgent,
  reason,
  type StepPage,
  type StepPageRequest,
  StoreOpenError,
  type StoreOptions,
} from '../agent-store.js';
import { pageOf } from '../step-page.js';
import { storedSettings } from '../stored-settings.js';
import {
  connectOrExplain,
  createPool,
  describeDatabase,
  inTransaction,
  type PoolOptions,
  query,
} from './connection.js';
import { migrate } from './migrations.js';

export interface PostgresStoreOptions extends PoolOptions, StoreOptions {
  /** Told about a pooled connection that failed while idle (the pool replaces it). */
  readonly onIdleError?: (error: Error) => void;
}

/** What opening found, for the start-up log line (never the credentials). */
export interface PostgresStoreInfo {
  readonly database: string;
  readonly migrated: readonly number[];
  readonly agents: number;
}

interface AgentRow {
  id: string;
  name: string;
  model_type: string;
  owner_uid: number;
  config: unknown;
  created_at: Date;
  updated_at: Date;
}

const AGENT_COLUMNS = 'id, name, model_type, owner_uid, config, created_at, updated_at';

/**
 * Connects to PostgreSQL (`AGENT_DATABASE_URL`), applies the pending migrations under an advisory
 * lock and returns a store with the SQLite store's semantics, plus the pool (the run coordinator
 * shares it). Unreachable at start-up → StoreOpenError; unreachable later → every call rejects
 * with StoreUnavailableError until the server is back.
 * @example const { store, info, pool } = await openPostgresStore(url, { max: 10, connectTimeoutMs: 5000 })
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions,
): Promise<{ store: AgentStore; info: PostgresStoreInfo; pool: pg.Pool }> {
  const { clock = Date.now, randomId = () => crypto.randomUUID() } = options;
  const pool = createPool(url, options, options.onIdleError ?? (() => {}));
  const where = `AGENT_DATABASE_URL (${describeDatabase(url)})`;
  let migrated: number[];
  let agents: number;
  const client = await connectOrExplain(pool, url).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  try {
    migrated = await migrate(client, where);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM agents');
    agents = rows[0]?.n ?? 0;
  } catch (error) {
    client.release();
    await pool.end();
    if (error instanceof StoreOpenError) throw error;
    // e.g. a role that may not create tables: one sentence, not a stack trace.
    throw new StoreOpenError(
      `${where} could not be migrated to the agent schema (${reason(error)}).`,
    );
  }
  client.release();

  const store: AgentStore = {
    async listAgents() {
      const { rows } = await query<AgentRow>(
        pool,
        `SELECT ${AGENT_COLUMNS} FROM agents ORDER BY created_at, id`,
      );
      return rows.map(toAgent);
    },
    async getAgent(id) {
      const { rows } = await query<AgentRow>(
        pool,
        `SELECT ${AGENT_COLUMNS} FROM agents WHERE id = $1`,
        [id],
      );
      return rows[0] ? toAgent(rows[0]) : undefined;
    },
    async createAgent(agent: NewAgent) {
      const at = new Date(clock());
      const { rows } = await query<AgentRow>(
        pool,
        `INSERT INTO agents (id, name, model_type, owner_uid, config, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${AGENT_COLUMNS}`,
        [
          randomId(),
          agent.name,
          agent.modelType,
          agent.ownerUid,
          JSON.stringify(AgentSettings.parse(agent.settings)),
          at,
        ],
      );
      const row = rows[0];
      if (!row) throw new Error('INSERT … RETURNING returned no row');
      return toAgent(row);
    },
    async deleteAgent(id) {
      const result = await query(pool, 'DELETE FROM agents WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    },
    updateSettings: (id, patch: UpdateSettingsRequest) =>
      inTransaction(pool, async (c) => {
        const { rows } = await c.query<AgentRow>(
          `SELECT ${AGENT_COLUMNS} FROM agents WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const row = rows[0];
        if (!row) return undefined;
        const merged = AgentSettings.parse({ ...toAgent(row).settings, ...patch });
        await c.query('UPDATE agents SET config = $1, updated_at = $2 WHERE id = $3', [
          JSON.stringify(merged),
          new Date(clock()),
          id,
        ]);
        return merged;
      }),
    appendSteps: (agentId, steps) =>
      inTransaction(pool, async (c) => {
        // FOR SHARE: a concurrent delete waits for this append, or this append sees it gone.
        const { rowCount } = await c.query('SELECT 1 FROM agents WHERE id = $1 FOR SHARE', [
          agentId,
        ]);
        if (!rowCount) return false;
        await insertSteps(c, agentId, steps);
        return true;
      }),
    async listSteps(agentId, limit) {
      const { rows } = await query<{ body: unknown }>(
        pool,
        'SELECT body FROM (SELECT id, body FROM agent_steps WHERE agent_id = $1 ORDER BY id DESC LIMIT $2) newest ORDER BY id',
        [agentId, limit],
      );
      return rows.flatMap((r) => {
        const step = Step.safeParse(r.body);
        return step.success ? [step.data] : [];
      });
    },
    async pageSteps(agentId, page: StepPageRequest): Promise<StepPage> {
      // One row past the limit tells whether older steps remain; `body::text` is the JSON as
      // appended (a `json` column keeps it verbatim), so its size matches the SQLite store's.
      const before = page.before === undefined ? null : page.before;
      const { rows } = await query<{ id: string; body: string }>(
        pool,
        `SELECT id, body::text AS body FROM agent_steps
         WHERE agent_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
         ORDER BY id DESC LIMIT $3`,
        [agentId, before, page.limit + 1],
      );
      return pageOf(rows, page);
    },
    async latestStepId(agentId) {
      const { rows } = await query<{ id: string | null }>(
        pool,
        'SELECT max(id) AS id FROM agent_steps WHERE agent_id = $1',
        [agentId],
      );
      return Number(rows[0]?.id ?? 0);
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
  return { store, info: { database: describeDatabase(url), migrated, agents }, pool };
}

/** Inserts steps in order (one statement); the caller holds the transaction. */
export async function insertSteps(
  c: pg.ClientBase,
  agentId: string,
  steps: readonly Step[],
): Promise<void> {
  if (steps.length === 0) return;
  await c.query(
    `INSERT INTO agent_steps (agent_id, run_id, seq, kind, body, at)
     SELECT $1, run_id, seq, kind, body, at
     FROM unnest($2::text[], $3::int[], $4::text[], $5::json[], $6::timestamptz[])
       WITH ORDINALITY AS t(run_id, seq, kind, body, at, n)
     ORDER BY n`,
    [
      agentId,
      steps.map((s) => s.runId),
      steps.map((s) => s.seq),
      steps.map((s) => s.kind),
      steps.map((s) => JSON.stringify(s)),
      steps.map((s) => s.at),
    ],
  );
}

function toAgent(row: AgentRow): Agent {
  return {
    id: row.id,
    name: row.name,
    modelType: row.model_type,
    ownerUid: row.owner_uid,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    settings: storedSettings(row.config),
  };
}
