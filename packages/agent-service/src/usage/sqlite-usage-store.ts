import Database from 'better-sqlite3';
import {
  decideAdmission,
  type ModelUsage,
  type UsageStore,
  type UsageTotals,
  utcDayStart,
  WINDOW_MS,
} from './usage-store.js';

/** Tables of the usage store; they live beside the agents in the same file. */
const USAGE_SCHEMA = `
CREATE TABLE IF NOT EXISTS usage_llm_calls (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  uid                INTEGER NOT NULL,
  agent_id           TEXT NOT NULL,
  run_id             TEXT NOT NULL,
  step_seq           INTEGER NOT NULL,
  model              TEXT NOT NULL,
  prompt_tokens      INTEGER NOT NULL,
  completion_tokens  INTEGER NOT NULL,
  cost_usd           REAL,
  at                 INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS usage_llm_calls_by_user ON usage_llm_calls (uid, at);
CREATE INDEX IF NOT EXISTS usage_llm_calls_by_run ON usage_llm_calls (run_id);
CREATE TABLE IF NOT EXISTS usage_active_runs (
  run_id      TEXT PRIMARY KEY,
  uid         INTEGER NOT NULL,
  agent_id    TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS usage_active_runs_by_user ON usage_active_runs (uid, expires_at);
CREATE TABLE IF NOT EXISTS usage_run_starts (
  uid  INTEGER NOT NULL,
  at   INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS usage_run_starts_by_user ON usage_run_starts (uid, at);
`;

interface TotalsRow {
  calls: number;
  prompt: number | null;
  completion: number | null;
  cost: number | null;
  costed: number;
}

const totals = (r: TotalsRow | undefined): UsageTotals => ({
  llmCalls: r?.calls ?? 0,
  promptTokens: r?.prompt ?? 0,
  completionTokens: r?.completion ?? 0,
  costUsd: r && r.costed > 0 ? (r.cost ?? 0) : undefined,
});

const TOTALS =
  'count(*) AS calls, sum(prompt_tokens) AS prompt, sum(completion_tokens) AS completion, sum(cost_usd) AS cost, count(cost_usd) AS costed';

/**
 * The usage store on SQLite (the agent database file, `AGENT_DB_PATH`). Every admission runs in
 * one `BEGIN IMMEDIATE` transaction, so services sharing the file (several processes on one node)
 * cannot over-admit a user.
 * @example const usage = openSqliteUsageStore(config.dbPath)
 */
export function openSqliteUsageStore(path: string): UsageStore {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.exec(USAGE_SCHEMA);

  const q = {
    tokensSince: db.prepare<[number, number], { n: number | null }>(
      'SELECT sum(prompt_tokens + completion_tokens) AS n FROM usage_llm_calls WHERE uid = ? AND at >= ?',
    ),
    dropExpired: db.prepare<[number]>('DELETE FROM usage_active_runs WHERE expires_at <= ?'),
    active: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM usage_active_runs WHERE uid = ?',
    ),
    dropOldStarts: db.prepare<[number]>('DELETE FROM usage_run_starts WHERE at <= ?'),
    starts: db.prepare<[number], { n: number; oldest: number | null }>(
      'SELECT count(*) AS n, min(at) AS oldest FROM usage_run_starts WHERE uid = ?',
    ),
    claim: db.prepare<[string, number, string, number]>(
      'INSERT INTO usage_active_runs (run_id, uid, agent_id, expires_at) VALUES (?, ?, ?, ?)',
    ),
    start: db.prepare<[number, number]>('INSERT INTO usage_run_starts (uid, at) VALUES (?, ?)'),
    renew: db.prepare<[number, string]>(
      'UPDATE usage_active_runs SET expires_at = ? WHERE run_id = ?',
    ),
    end: db.prepare<[string]>('DELETE FROM usage_active_runs WHERE run_id = ?'),
    record: db.prepare(
      'INSERT INTO usage_llm_calls (uid, agent_id, run_id, step_seq, model, prompt_tokens, completion_tokens, cost_usd, at) VALUES (@uid, @agentId, @runId, @stepSeq, @model, @promptTokens, @completionTokens, @costUsd, @at)',
    ),
    run: db.prepare<[string], TotalsRow>(`SELECT ${TOTALS} FROM usage_llm_calls WHERE run_id = ?`),
    user: db.prepare<[number, number], TotalsRow & { model: string }>(
      `SELECT model, ${TOTALS} FROM usage_llm_calls WHERE uid = ? AND at >= ? GROUP BY model ORDER BY model`,
    ),
  };

  const tokensSince = (uid: number, since: number) => q.tokensSince.get(uid, since)?.n ?? 0;

  const admit = db.transaction(
    (
      claim: Parameters<UsageStore['admitRun']>[0],
      limits: Parameters<UsageStore['admitRun']>[1],
    ) => {
      const { uid, now } = claim;
      q.dropExpired.run(now);
      q.dropOldStarts.run(now - WINDOW_MS);
      const starts = q.starts.get(uid);
      const decision = decideAdmission(
        {
          tokensToday:
            limits.dailyTokenBudget === undefined ? 0 : tokensSince(uid, utcDayStart(now)),
          activeRuns: q.active.get(uid)?.n ?? 0,
          startsInWindow: starts?.n ?? 0,
          oldestStart: starts?.oldest ?? undefined,
        },
        limits,
        now,
      );
      if (decision.admitted) {
        q.claim.run(claim.runId, uid, claim.agentId, now + claim.leaseMs);
        q.start.run(uid, now);
      }
      return decision;
    },
  );

  return {
    admitRun: async (claim, limits) => admit.immediate(claim, limits),
    renewRun: async (runId, now, leaseMs) => {
      q.renew.run(now + leaseMs, runId);
    },
    endRun: async (runId) => {
      q.end.run(runId);
    },
    recordUsage: async (record) => {
      q.record.run({ ...record, costUsd: record.costUsd ?? null });
    },
    tokensSince: async (uid, since) => tokensSince(uid, since),
    runTotals: async (runId) => totals(q.run.get(runId)),
    userUsage: async (uid, since): Promise<ModelUsage[]> =>
      q.user.all(uid, since).map((r) => ({ model: r.model, ...totals(r) })),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
