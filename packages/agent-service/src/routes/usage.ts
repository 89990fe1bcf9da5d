import { agentRoutes, type UsageResponse, type UsageTotals } from '@agentauth/agent-api';
import { authOf } from '@agentauth/auth-core/express';
import { Router } from 'express';
import { utcDayStart } from '../usage/usage-store.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

const withCost = (t: {
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number | undefined;
}): UsageTotals => ({
  llmCalls: t.llmCalls,
  promptTokens: t.promptTokens,
  completionTokens: t.completionTokens,
  ...(t.costUsd === undefined ? {} : { costUsd: t.costUsd }),
});

/**
 * `GET /api/agents/usage` — the caller's own LLM usage since 00:00 UTC (per model and in total) and
 * the limits that apply to them. Only ever the caller's: the uid comes from the verified token.
 * Mounted before `/:id`.
 * @example app.use(usageRouter(deps))
 */
export function usageRouter({ usage, limits, maxTokens, clock }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.usage)
    .get(async (_req, res) => {
      const { user } = authOf(res);
      const since = utcDayStart(clock());
      const byModel = await usage.userUsage(user.uid, since);
      const costed = byModel.filter((m) => m.costUsd !== undefined);
      const total = withCost({
        llmCalls: byModel.reduce((n, m) => n + m.llmCalls, 0),
        promptTokens: byModel.reduce((n, m) => n + m.promptTokens, 0),
        completionTokens: byModel.reduce((n, m) => n + m.completionTokens, 0),
        costUsd: costed.length === 0 ? undefined : costed.reduce((n, m) => n + (m.costUsd ?? 0), 0),
      });
      res.json({
        uid: user.uid,
        since: new Date(since).toISOString(),
        total,
        byModel: byModel.map((m) => ({ model: m.model, ...withCost(m) })),
        limits: {
          maxConcurrentRuns: limits.maxConcurrentRuns,
          runStartsPerMinute: limits.runStartsPerMinute,
          maxTokensPerCall: maxTokens,
          dailyTokenBudget: limits.dailyTokenBudget ?? null,
        },
      } satisfies UsageResponse);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
