import { z } from 'zod';

const tokens = z.number().int().min(0);

/** Spend of one model (or of everything): calls, tokens, and the cost when the provider reports one. */
export const UsageTotals = z.object({
  llmCalls: tokens,
  promptTokens: tokens,
  completionTokens: tokens,
  /** USD; absent when the provider reported no cost. */
  costUsd: z.number().min(0).optional(),
});
export type UsageTotals = z.infer<typeof UsageTotals>;

/**
 * Body of `GET /api/agents/usage`: the caller's own LLM usage since the start of the UTC day, per
 * model, and the limits that apply to them.
 * @example const usage = UsageResponse.parse(await res.json()); usage.total.promptTokens
 */
export const UsageResponse = z.object({
  uid: z.number().int(),
  /** Start of the counted period (00:00 UTC today). */
  since: z.iso.datetime({ offset: true }),
  total: UsageTotals,
  byModel: z.array(UsageTotals.extend({ model: z.string() })),
  limits: z.object({
    maxConcurrentRuns: z.number().int().min(1),
    runStartsPerMinute: z.number().int().min(1),
    maxTokensPerCall: z.number().int().min(1),
    /** Null when there is no daily budget. */
    dailyTokenBudget: z.number().int().min(1).nullable(),
  }),
});
export type UsageResponse = z.infer<typeof UsageResponse>;
