/** Why a run (or an LLM call) was refused; both answer 429 with a retry time. */
export type LimitCode = 'ERR_RATE_LIMITED' | 'ERR_BUDGET_EXCEEDED';

/** What one user may spend; every refusal is a 429 / WebSocket error with a retry time. */
export interface UserLimits {
  /** Runs of one user active at once, across all their agents and replicas. */
  readonly maxConcurrentRuns: number;
  /** Runs one user may start in any 60 s window. */
  readonly runStartsPerMinute: number;
  /** Prompt + completion tokens one user may spend per UTC day; undefined = no budget. */
  readonly dailyTokenBudget: number | undefined;
}

/** Defaults a real deployment can keep (`USER_*`, `LLM_MAX_TOKENS`); no daily budget unless set. */
export const DEFAULT_LIMITS = {
  maxConcurrentRuns: 3,
  runStartsPerMinute: 30,
  maxTokensPerCall: 4096,
} as const;

export type Admission =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      readonly code: LimitCode;
      /** Which limit refused (a metrics label). */
      readonly limit: 'budget' | 'concurrency' | 'rate';
      /** When trying again can succeed, in ms from now (≥ 1000). */
      readonly retryAfterMs: number;
      readonly message: string;
    };

export interface RunClaim {
  readonly uid: number;
  readonly runId: string;
  readonly agentId: string;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /** A run not renewed for this long (its replica died) stops counting against the user. */
  readonly leaseMs: number;
}

/** One LLM call's usage as the provider reported it. */
export interface UsageRecord {
  readonly uid: number;
  readonly agentId: string;
  readonly runId: string;
  /** The `seq` of the step the call produced. */
  readonly stepSeq: number;
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** In USD, when the provider reports it (LiteLLM's `x-litellm-response-cost`). */
  readonly costUsd: number | undefined;
  readonly at: number;
}

export interface UsageTotals {
  readonly llmCalls: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** Sum of the reported costs; undefined when no call reported one. */
  readonly costUsd: number | undefined;
}

export interface ModelUsage extends UsageTotals {
  readonly model: string;
}

/**
 * Where per-user limits and LLM usage live, shared by every replica (SQLite on one node, the
 * same tables in PostgreSQL for several). Async so a network database fits; each `admitRun` is
 * one atomic check-and-claim, so two replicas cannot both admit a user's last slot.
 */
export interface UsageStore {
  /** Checks the budget, the concurrent runs and the start rate, and claims a slot if all pass. */
  admitRun(claim: RunClaim, limits: UserLimits): Promise<Admission>;
  /** Keeps a run's slot (call at every step); a run whose lease lapses stops counting. */
  renewRun(runId: string, now: number, leaseMs: number): Promise<void>;
  /** Frees the run's slot. */
  endRun(runId: string): Promise<void>;
  recordUsage(record: UsageRecord): Promise<void>;
  /** Prompt + completion tokens of `uid` since `since` (ms). */
  tokensSince(uid: number, since: number): Promise<number>;
  /** Totals of one run. */
  runTotals(runId: string): Promise<UsageTotals>;
  /** Totals of `uid` since `since`, one row per model. */
  userUsage(uid: number, since: number): Promise<ModelUsage[]>;
  close(): Promise<void>;
}

/** Start of the UTC day of `now` (ms): daily budgets reset there. */
export function utcDayStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

/**
 * The budget refusal for a user who has spent `used` tokens today, or undefined while under it.
 * @example budgetRefusal(120_000, limits, Date.now())
 */
export function budgetRefusal(
  used: number,
  limits: UserLimits,
  now: number,
): Extract<Admission, { admitted: false }> | undefined {
  const decision = decideAdmission(
    { tokensToday: used, activeRuns: 0, startsInWindow: 0, oldestStart: undefined },
    {
      ...limits,
      maxConcurrentRuns: Number.POSITIVE_INFINITY,
      runStartsPerMinute: Number.POSITIVE_INFINITY,
    },
    now,
  );
  return decision.admitted ? undefined : decision;
}

/** The one rule both backends apply inside their transaction, given what they counted. */
export function decideAdmission(
  counted: {
    readonly tokensToday: number;
    readonly activeRuns: number;
    readonly startsInWindow: number;
    /** Oldest start in the 60 s window (ms), when the window is full. */
    readonly oldestStart: number | undefined;
  },
  limits: UserLimits,
  now: number,
): Admission {
  if (limits.dailyTokenBudget !== undefined && counted.tokensToday >= limits.dailyTokenBudget) {
    return {
      admitted: false,
      code: 'ERR_BUDGET_EXCEEDED',
      limit: 'budget',
      retryAfterMs: Math.max(1000, utcDayStart(now) + DAY_MS - now),
      message: `You have used your daily budget of ${limits.dailyTokenBudget} tokens; it resets at 00:00 UTC.`,
    };
  }
  if (counted.activeRuns >= limits.maxConcurrentRuns) {
    return {
      admitted: false,
      code: 'ERR_RATE_LIMITED',
      limit: 'concurrency',
      retryAfterMs: CONCURRENCY_RETRY_MS,
      message: `You already have ${counted.activeRuns} runs going (the limit is ${limits.maxConcurrentRuns}); wait for one to finish or stop one.`,
    };
  }
  if (counted.startsInWindow >= limits.runStartsPerMinute) {
    const oldest = counted.oldestStart ?? now;
    return {
      admitted: false,
      code: 'ERR_RATE_LIMITED',
      limit: 'rate',
      retryAfterMs: Math.max(1000, oldest + WINDOW_MS - now),
      message: `You started ${limits.runStartsPerMinute} runs in the last minute, the limit; try again shortly.`,
    };
  }
  return { admitted: true };
}

/** The sliding window of the start rate. */
export const WINDOW_MS = 60_000;
const DAY_MS = 86_400_000;
/** A run's end is not predictable: suggest a short wait. */
const CONCURRENCY_RETRY_MS = 2000;
