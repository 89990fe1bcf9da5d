import type { PoolClient } from 'pg';
import { StoreOpenError } from '../agent-store.js';

/** One schema change. Never edit a released migration: add the next version. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The PostgreSQL schema, version by version. `agents.config` holds the settings as JSON (the
 * platform's "JSON config"); steps live in their own table so a run appends without rewriting
 * the agent row (as `json`, which keeps a U+0000 a model may emit, where `jsonb` refuses it); `agent_runs` is the run lease and last run state of each agent.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'agents, steps and run leases',
    sql: `
CREATE TABLE agents (
  id          text PRIMARY KEY,
  owner_uid   integer NOT NULL,
  name        text NOT NULL,
  model_type  text NOT NULL,
  config      jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX agents_by_creation ON agents (created_at, id);
CREATE INDEX agents_by_owner ON agents (owner_uid);
CREATE TABLE agent_steps (
  id        bigserial PRIMARY KEY,
  agent_id  text NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  run_id    text NOT NULL,
  seq       integer NOT NULL,
  kind      text NOT NULL,
  body      json NOT NULL,
  at        timestamptz NOT NULL
);
CREATE INDEX agent_steps_by_agent ON agent_steps (agent_id, id);
CREATE INDEX agent_steps_by_run ON agent_steps (agent_id, run_id, seq);
CREATE TABLE agent_runs (
  agent_id        text PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  run_id          text NOT NULL,
  replica_id      text NOT NULL,
  state           text NOT NULL CHECK (state IN ('running', 'completed', 'stopped', 'error')),
  error_code      text,
  error_message   text,
  stop_requested  boolean NOT NULL DEFAULT false,
  partial_seq     integer NOT NULL DEFAULT 0,
  partial_text    text NOT NULL DEFAULT '',
  lease_until     timestamptz NOT NULL,
  started_at      timestamptz NOT NULL,
  ended_at        timestamptz
);
CREATE INDEX agent_runs_running ON agent_runs (lease_until) WHERE state = 'running';
`,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/** Any constant: replicas starting together serialise on this advisory lock. */
const MIGRATION_LOCK = 0x61676e74; // "agnt"

/**
 * Brings the database to the latest schema. Runs under a session advisory lock, so replicas that
 * start at the same time apply each migration once; each migration is its own transaction. A
 * database written by a newer version is refused untouched. Returns the versions applied now.
 * @example const applied = await migrate(client) // [1] on a fresh database, [] after
 */
export async function migrate(client: PoolClient, where: string): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS agent_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM agent_schema_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > LATEST_VERSION) {
      throw new StoreOpenError(
        `${where} was migrated by a newer agent-service (schema ${current}, this one knows ${LATEST_VERSION}); it was left untouched.`,
      );
    }
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO agent_schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}
