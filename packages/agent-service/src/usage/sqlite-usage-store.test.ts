import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteUsageStore } from './sqlite-usage-store.js';
import { type UsageStore, type UserLimits, utcDayStart } from './usage-store.js';

const NOW = Date.UTC(2026, 11, 1, 10, 0, 0);
const limits: UserLimits = { maxConcurrentRuns: 2, runStartsPerMinute: 3, dailyTokenBudget: 100 };
const claim = (runId: string, now = NOW, uid = 7) => ({
  uid,
  runId,
  agentId: 'a',
  now,
  leaseMs: 10_000,
});
const call = (uid: number, tokens: number, at: number, costUsd?: number) => ({
  uid,
  agentId: 'a',
  runId: 'r1',
  stepSeq: 1,
  model: 'm',
  promptTokens: tokens,
  completionTokens: 0,
  costUsd,
  at,
});

let store: UsageStore;
afterEach(() => store.close());

describe('openSqliteUsageStore', () => {
  it('admits up to the concurrent limit, and again once a run ends or its lease lapses', async () => {
    store = openSqliteUsageStore(':memory:');
    expect(await store.admitRun(claim('r1'), limits)).toEqual({ admitted: true });
    expect(await store.admitRun(claim('r2'), limits)).toEqual({ admitted: true });
    expect(await store.admitRun(claim('r3'), limits)).toMatchObject({
      admitted: false,
      code: 'ERR_RATE_LIMITED',
      limit: 'concurrency',
    });
    expect(await store.admitRun(claim('b1', NOW, 8), limits)).toEqual({ admitted: true });
    await store.endRun('r1');
    expect(await store.admitRun(claim('r3', NOW + 1), limits)).toEqual({ admitted: true });
    await store.endRun('r2');
    expect(await store.admitRun(claim('r4', NOW + 2), limits)).toMatchObject({
      admitted: false,
      limit: 'rate',
    });
    // r3 is never ended (its replica died): once its lease lapses it stops counting.
    await store.renewRun('r3', NOW + 5000, 10_000);
    const later = NOW + 70_000;
    expect(await store.admitRun(claim('r4', later), limits)).toEqual({ admitted: true });
    expect(await store.admitRun(claim('r5', later), limits)).toEqual({ admitted: true });
  });

  it('says when the start window frees a slot', async () => {
    store = openSqliteUsageStore(':memory:');
    for (let i = 0; i < 3; i++) {
      await store.admitRun(claim(`r${i}`, NOW + i * 1000), limits);
      await store.endRun(`r${i}`);
    }
    expect(await store.admitRun(claim('r9', NOW + 5000), limits)).toMatchObject({
      admitted: false,
      limit: 'rate',
      retryAfterMs: 55_000,
    });
  });

  it('refuses past the daily budget until the next UTC day, and sums usage per run and model', async () => {
    store = openSqliteUsageStore(':memory:');
    await store.recordUsage(call(7, 60, NOW, 0.5));
    await store.recordUsage(call(7, 40, NOW + 1, 0.25));
    await store.recordUsage(call(7, 1000, utcDayStart(NOW) - 1)); // yesterday
    await store.recordUsage(call(8, 1000, NOW));
    const refused = await store.admitRun(claim('r1'), limits);
    expect(refused).toMatchObject({
      admitted: false,
      code: 'ERR_BUDGET_EXCEEDED',
      limit: 'budget',
    });
    expect(refused.admitted ? 0 : refused.retryAfterMs).toBe(utcDayStart(NOW) + 86_400_000 - NOW);
    expect(await store.tokensSince(7, utcDayStart(NOW))).toBe(100);
    expect(await store.runTotals('r1')).toMatchObject({ llmCalls: 4, promptTokens: 2100 });
    expect(await store.userUsage(7, utcDayStart(NOW))).toEqual([
      { model: 'm', llmCalls: 2, promptTokens: 100, completionTokens: 0, costUsd: 0.75 },
    ]);
    expect(await store.admitRun(claim('r2', utcDayStart(NOW) + 86_400_000), limits)).toEqual({
      admitted: true,
    });
  });
});
