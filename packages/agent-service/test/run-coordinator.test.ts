import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalRuns } from '../src/runs/local-runs.js';
import { createPostgresRuns } from '../src/runs/postgres-runs.js';
import type { RunCoordinator } from '../src/runs/run-coordinator.js';
import type { AgentStore } from '../src/store/agent-store.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { type PostgresServer, startPostgres } from '../src/testing/postgres-server.js';
import { until } from './harness.js';

interface Setup {
  store: AgentStore;
  coordinator: RunCoordinator;
  close(): Promise<void>;
}

let server: PostgresServer;
const dir = mkdtempSync(join(tmpdir(), 'run-coordinator-'));
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, () => Promise<Setup>][] = [
  [
    'in process (SQLite mode)',
    async () => {
      const { store } = openSqliteStore(join(dir, `${crypto.randomUUID()}.db`));
      const coordinator = createLocalRuns();
      return { store, coordinator, close: () => store.close() };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await server.createDatabase();
      const { store, pool } = await openPostgresStore(url, { max: 3, connectTimeoutMs: 3000 });
      const coordinator = createPostgresRuns({
        pool,
        url,
        replicaId: 'r1',
        leaseMs: 5000,
        onError: () => {},
      });
      return {
        store,
        coordinator,
        close: async () => {
          await coordinator.close();
          await store.close();
        },
      };
    },
  ],
];

// The run manager relies on the same contract from both implementations.
describe.each(backends)('RunCoordinator %s', (_name, open) => {
  it('grants one lease per agent until it is released, then records the end state', async () => {
    const { store, coordinator, close } = await open();
    const agent = await store.createAgent({
      name: 'a',
      modelType: 'm',
      ownerUid: 1,
      settings: { ...DEFAULT_SETTINGS, tools: [] },
    });
    const other = await store.createAgent({
      name: 'b',
      modelType: 'm',
      ownerUid: 1,
      settings: { ...DEFAULT_SETTINGS, tools: [] },
    });
    expect(await coordinator.status(agent.id)).toEqual({ state: 'idle' });
    expect(await coordinator.claim(agent.id, 'run-1')).toBe(true);
    expect(await coordinator.claim(agent.id, 'run-2')).toBe(false);
    expect(await coordinator.claim(other.id, 'run-3')).toBe(true);
    expect((await coordinator.status(agent.id)).state).toBe('running');
    expect(await coordinator.runningAgents()).toEqual(new Set([agent.id, other.id]));
    expect(await coordinator.renew(agent.id, 'run-1', undefined)).toBe('ok');
    expect(await coordinator.renew(agent.id, 'run-2', undefined)).toBe('lost');
    await coordinator.release(agent.id, 'run-1', { state: 'completed' });
    expect(await coordinator.status(agent.id)).toEqual({ state: 'completed' });
    expect(await coordinator.runningAgents()).toEqual(new Set([other.id]));
    expect(await coordinator.renew(agent.id, 'run-1', undefined)).toBe('lost');
    expect(await coordinator.claim(agent.id, 'run-4')).toBe(true);
    await coordinator.release(agent.id, 'run-4', {
      state: 'error',
      code: 'ERR_MAX_STEPS',
      message: 'x',
    });
    expect(await coordinator.status(agent.id)).toEqual({ state: 'error' });
    await close();
  });
});

describe('RunCoordinator on PostgreSQL, two replicas', () => {
  it('keeps the streaming text with the lease and hands a dead replica’s agent to the survivor', async () => {
    const url = await server.createDatabase();
    const a = await openPostgresStore(url, { max: 3, connectTimeoutMs: 3000 });
    const b = await openPostgresStore(url, { max: 3, connectTimeoutMs: 3000 });
    const onA = createPostgresRuns({
      pool: a.pool,
      url,
      replicaId: 'a',
      leaseMs: 1000,
      sweepMs: 60_000,
      onError: () => {},
    });
    const onB = createPostgresRuns({
      pool: b.pool,
      url,
      replicaId: 'b',
      leaseMs: 1000,
      sweepMs: 60_000,
      onError: () => {},
    });
    const agent = await a.store.createAgent({
      name: 'a',
      modelType: 'm',
      ownerUid: 1,
      settings: { ...DEFAULT_SETTINGS, tools: [] },
    });
    expect(await onA.claim(agent.id, 'run-a')).toBe(true);
    await a.store.appendSteps(agent.id, [
      { kind: 'prompt', runId: 'run-a', seq: 0, at: new Date().toISOString(), text: 'count' },
    ]);
    expect(await onA.renew(agent.id, 'run-a', { runId: 'run-a', seq: 1, text: '1 2 3' })).toBe(
      'ok',
    );
    expect(await onB.status(agent.id)).toEqual({
      state: 'running',
      partial: { runId: 'run-a', seq: 1, text: '1 2 3' },
    });
    expect(await onB.claim(agent.id, 'run-b')).toBe(false);
    expect(await onB.runningAgents()).toEqual(new Set([agent.id]));
    // A stops renewing (it died). Once the lease has run out, B's claim records A's run as
    // interrupted with its partial text and takes the agent.
    await until(async () => (await onB.status(agent.id)).state !== 'running', 10_000);
    // Run out but not yet swept: neither status nor the list's marks call it running.
    expect(await onB.status(agent.id)).toEqual({ state: 'error' });
    expect(await onB.runningAgents()).toEqual(new Set());
    expect(await onB.claim(agent.id, 'run-b')).toBe(true);
    const steps = await b.store.listSteps(agent.id, 10);
    expect(steps.map((s) => [s.runId, s.seq, s.kind])).toEqual([
      ['run-a', 0, 'prompt'],
      ['run-a', 1, 'model_text'],
      ['run-a', 2, 'error'],
    ]);
    expect(steps[1]).toMatchObject({ text: '1 2 3' });
    expect(steps[2]).toMatchObject({ code: 'ERR_RUN_INTERRUPTED' });
    // The lease that ran out was not running; the survivor's is (one query for the list).
    expect(await onA.runningAgents()).toEqual(new Set([agent.id]));
    // The old holder learns it lost the lease.
    expect(await onA.renew(agent.id, 'run-a', undefined)).toBe('lost');
    await Promise.all([onA.close(), onB.close()]);
    await Promise.all([a.store.close(), b.store.close()]);
  });
});
