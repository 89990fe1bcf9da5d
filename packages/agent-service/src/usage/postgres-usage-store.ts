import type pg from 'pg';
import { inTransaction, query, unavailable } from '../store/postgres/connection.js';
import {
  decideAdmission,
  type ModelUsage,
  type UsageStore,
  type UsageTotals,
  utcDayStart,
  WINDOW_MS,
} from './usage-store.js';

/** Tables of the usage store, beside the agents in the same database. */
const USAGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_llm_calls (
  id                 BIGSERIAL PRIMARY KEY,
  uid                BIGINT NOT NULL,
  agent_id           TEXT NOT NULL,
  run_id             TEXT NOT NULL,
  step_seq           INTEGER NOT NULL,
  model              TEXT NOT NULL,
  prompt_tokens      BIGINT NOT NULL,
  completion_tokens  BIGINT NOT NULL,
  cost_usd           DOUBLE PRECISION,
  at                 BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_llm_calls_by_user ON usage_llm_calls (uid, at);
CREATE INDEX IF NOT EXISTS usage_llm_calls_by_run ON usage_llm_calls (run_id);
CREATE TABLE IF NOT EXISTS usage_active_runs (
  run_id      TEXT PRIMARY KEY,
  uid         BIGINT NOT NULL,
  agent_id    TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_active_runs_by_user ON usage_active_runs (uid, expires_at);
CREATE TABLE IF NOT EXISTS usage_run_starts (
  uid  BIGINT NOT NULL,
  at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS usage_run_starts_by_user ON usage_run_starts (uid, at);
`;

/** Advisory lock class of the usage store: its schema, and one lock per user's admission. */
const LOCK_CLASS = 17_017;

const TOTALS =
  'count(*)::int AS calls, sum(prompt_tokens)::bigint AS prompt, sum(completion_tokens)::bigint AS completion, sum(cost_usd) AS cost, count(cost_usd)::int AS costed';

interface TotalsRow {
  calls: number;
  prompt: string | null;
  completion: string | null;
  cost: number | null;
  costed: number;
}

const totals = (r: TotalsRow | undefined): UsageTotals => ({
  llmCalls: r?.calls ?? 0,
  promptTokens: Number(r?.prompt ?? 0),
  completionTokens: Number(r?.completion ?? 0),
  costUsd: r && r.costed > 0 ? (r.cost ?? 0) : undefined,
});

/**
 * The usage store on PostgreSQL (`AGENT_DATABASE_URL`), shared by every replica. An admission
 * holds a transaction-scoped advisory lock on the user, so two replicas admitting the same user
 * at once are serialised and cannot both take the last slot; other users do not wait.
 * @example const usage = await openPostgresUsageStore(pool)
 */
export async function openPostgresUsageStore(pool: pg.Pool): Promise<UsageStore> {
  await inTransaction(pool, async (client) => {
    // Replicas starting together must not race on CREATE TABLE.
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_CLASS]);
    await client.query(USAGE_SCHEMA);
  });

  const tokensSince = async (q: pg.Pool | pg.PoolClient, uid: number, since: number) => {
    const { rows } = await q.query<{ n: string | null }>(
      'SELECT sum(prompt_tokens + completion_tokens)::bigint AS n FROM usage_llm_calls WHERE uid = $1 AND at >= $2',
      [uid, since],
    );
    return Number(rows[0]?.n ?? 0);
  };

  return {
    admitRun: (claim, limits) =>
      inTransaction(pool, async (client) => {
        const { uid, now } = claim;
        await client.query('SELECT pg_advisory_xact_lock($1, hashint8($2::bigint))', [
          LOCK_CLASS,
          uid,
        ]);
        await client.query('DELETE FROM usage_active_runs WHERE uid = $1 AND expires_at <= $2', [
          uid,
          now,
        ]);
        await client.query('DELETE FROM usage_run_starts WHERE uid = $1 AND at <= $2', [
          uid,
          now - WINDOW_MS,
        ]);
        const active = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM usage_active_runs WHERE uid = $1',
          [uid],
        );
        const starts = await client.query<{ n: number; oldest: string | null }>(
          'SELECT count(*)::int AS n, min(at) AS oldest FROM usage_run_starts WHERE uid = $1',
          [uid],
        );
        const oldest = starts.rows[0]?.oldest;
        const decision = decideAdmission(
          {
            tokensToday:
              limits.dailyTokenBudget === undefined
                ? 0
                : await tokensSince(client, uid, utcDayStart(now)),
            activeRuns: active.rows[0]?.n ?? 0,
            startsInWindow: starts.rows[0]?.n ?? 0,
            oldestStart: oldest === null || oldest === undefined ? undefined : Number(oldest),
          },
          limits,
          now,
        );
        if (decision.admitted) {
          await client.query(
            'INSERT INTO usage_active_runs (run_id, uid, agent_id, expires_at) VALUES ($1, $2, $3, $4)',
            [claim.runId, uid, claim.agentId, now + claim.leaseMs],
          );
          await client.query('INSERT INTO usage_run_starts (uid, at) VALUES ($1, $2)', [uid, now]);
        }
        return decision;
      }),
    renewRun: async (runId, now, leaseMs) => {
      await query(pool, 'UPDATE usage_active_runs SET expires_at = $1 WHERE run_id = $2', [
        now + leaseMs,
        runId,
      ]);
    },
    endRun: async (runId) => {
      await query(pool, 'DELETE FROM usage_active_runs WHERE run_id = $1', [runId]);
    },
    recordUsage: async (r) => {
      await query(
        pool,
        'INSERT INTO usage_llm_calls (uid, agent_id, run_id, step_seq, model, prompt_tokens, completion_tokens, cost_usd, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [
          r.uid,
          r.agentId,
          r.runId,
          r.stepSeq,
          r.model,
          r.promptTokens,
          r.completionTokens,
          r.costUsd ?? null,
          r.at,
        ],
      );
    },
    tokensSince: (uid, since) => tokensSince(pool, uid, since).catch(unavailable),
    runTotals: async (runId) => {
      const { rows } = await query<TotalsRow>(
        pool,
        `SELECT ${TOTALS} FROM usage_llm_calls WHERE run_id = $1`,
        [runId],
      );
      return totals(rows[0]);
    },
    userUsage: async (uid, since): Promise<ModelUsage[]> => {
      const { rows } = await query<TotalsRow & { model: string }>(
        pool,
        `SELECT model, ${TOTALS} FROM usage_llm_calls WHERE uid = $1 AND at >= $2 GROUP BY model ORDER BY model`,
        [uid, since],
      );
      return rows.map((r) => ({ model: r.model, ...totals(r) }));
    },
    // The pool belongs to the agent store, which closes it.
    close: async () => {},
  };
}
