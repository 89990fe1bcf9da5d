import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/store/postgres/connection.js';
import { type PostgresServer, startPostgres } from '../src/testing/postgres-server.js';
import { openPostgresUsageStore } from '../src/usage/postgres-usage-store.js';
import { openSqliteUsageStore } from '../src/usage/sqlite-usage-store.js';
import type { UsageStore, UserLimits } from '../src/usage/usage-store.js';

/** Two stores on one database: what two replicas of the service see. */
interface UsageBackend {
  readonly name: string;
  setup(): Promise<void>;
  /** Two stores over one fresh, shared database. */
  pair(): Promise<[UsageStore, UsageStore]>;
  teardown(): Promise<void>;
}

function sqliteUsage(): UsageBackend {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite (two connections to one file)',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'usage-store-'));
    },
    async pair() {
      const path = join(dir, `usage-${++n}.db`);
      return [openSqliteUsageStore(path), openSqliteUsageStore(path)];
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two replicas on one PostgreSQL database: two pools, two stores. */
function postgresUsage(): UsageBackend {
  let server: PostgresServer | undefined;
  const pools: ReturnType<typeof createPool>[] = [];
  return {
    name: 'postgresql (two pools on one database)',
    async setup() {
      server = await startPostgres();
    },
    async pair() {
      if (!server) throw new Error('setup() first');
      const url = await server.createDatabase();
      const open = () => {
        const pool = createPool(url, { max: 5, connectTimeoutMs: 5000 }, () => {});
        pools.push(pool);
        return openPostgresUsageStore(pool);
      };
      return Promise.all([open(), open()]);
    },
    async teardown() {
      await Promise.all(pools.map((p) => p.end()));
      await server?.stop();
    },
  };
}

const NOW = Date.UTC(2026, 11, 1, 10, 0, 0);
const limits: UserLimits = { maxConcurrentRuns: 3, runStartsPerMinute: 1000, dailyTokenBudget: 50 };

describe.each([sqliteUsage(), postgresUsage()])('the usage store on $name', (backend) => {
  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());

  it('admits exactly the concurrent limit when two replicas race for one user', async () => {
    const [a, b] = await backend.pair();
    try {
      const claims = Array.from({ length: 20 }, (_, i) => ({
        uid: 7,
        runId: `r${i}`,
        agentId: `a${i}`,
        now: NOW,
        leaseMs: 60_000,
      }));
      const answers = await Promise.all(
        claims.map((c, i) => (i % 2 === 0 ? a : b).admitRun(c, limits)),
      );
      expect(answers.filter((x) => x.admitted)).toHaveLength(3);
      expect(answers.filter((x) => !x.admitted && x.limit === 'concurrency')).toHaveLength(17);
      // Another user is admitted meanwhile.
      expect(
        await b.admitRun({ uid: 8, runId: 'b', agentId: 'x', now: NOW, leaseMs: 60_000 }, limits),
      ).toEqual({ admitted: true });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("sees the other replica's usage against the daily budget", async () => {
    const [a, b] = await backend.pair();
    try {
      await a.recordUsage({
        uid: 7,
        agentId: 'a',
        runId: 'r',
        stepSeq: 1,
        model: 'm',
        promptTokens: 40,
        completionTokens: 10,
        costUsd: undefined,
        at: NOW,
      });
      expect(await b.tokensSince(7, NOW - 1)).toBe(50);
      expect(
        await b.admitRun({ uid: 7, runId: 'r2', agentId: 'a', now: NOW, leaseMs: 1000 }, limits),
      ).toMatchObject({ admitted: false, code: 'ERR_BUDGET_EXCEEDED' });
      expect(await b.userUsage(7, NOW - 1)).toEqual([
        { model: 'm', llmCalls: 1, promptTokens: 40, completionTokens: 10, costUsd: undefined },
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
