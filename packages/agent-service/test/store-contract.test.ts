import { type AgentSettings, DEFAULT_SETTINGS, type Step } from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentStore } from '../src/store/agent-store.js';
import { postgresBackend, sqliteBackend } from './store-backends.js';

const settings: AgentSettings = { ...DEFAULT_SETTINGS, tools: [...DEFAULT_SETTINGS.tools] };
const newAgent = (name: string, ownerUid = 7) => ({
  name,
  modelType: 'dev-model',
  ownerUid,
  settings,
});
const step = (runId: string, seq: number, text = `step ${seq}`): Step => ({
  kind: 'prompt',
  runId,
  seq,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
  text,
});

// The same cases on both stores: the PostgreSQL store must keep the SQLite store's semantics.
describe.each([sqliteBackend(), postgresBackend()])('AgentStore on $name', (backend) => {
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  let store: AgentStore;
  const open = async (options?: Parameters<typeof backend.open>[0]) => {
    store = await backend.open(options);
    return store;
  };

  it('creates agents with a random UUID, the owner, the clock and validated settings', async () => {
    let now = Date.UTC(2026, 0, 1);
    const s = await open({ clock: () => now });
    const a = await s.createAgent(newAgent('first'));
    now += 1000;
    const b = await s.createAgent(newAgent('second', 8));
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.id).not.toBe(a.id);
    expect(a).toEqual({
      id: a.id,
      name: 'first',
      modelType: 'dev-model',
      ownerUid: 7,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      settings,
    });
    expect(await s.getAgent(b.id)).toEqual(b);
    await s.close();
  });

  it('lists agents oldest first, ties broken by id', async () => {
    const ids = [
      '00000000-0000-4000-8000-00000000000c',
      '00000000-0000-4000-8000-00000000000a',
      '00000000-0000-4000-8000-00000000000b',
    ];
    let i = 0;
    const s = await open({
      clock: () => Date.UTC(2026, 0, 1) + (i === 0 ? 5000 : 0),
      randomId: () => ids[i++] as string,
    });
    await s.createAgent(newAgent('late')); // created at +5 s
    await s.createAgent(newAgent('tie-a'));
    await s.createAgent(newAgent('tie-b'));
    expect((await s.listAgents()).map((a) => a.name)).toEqual(['tie-a', 'tie-b', 'late']);
    await s.close();
  });

  it('answers undefined / false for an unknown agent', async () => {
    const s = await open();
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await s.getAgent(unknown)).toBeUndefined();
    expect(await s.getAgent('not-a-uuid')).toBeUndefined();
    expect(await s.updateSettings(unknown, { temperature: 1 })).toBeUndefined();
    expect(await s.deleteAgent(unknown)).toBe(false);
    expect(await s.appendSteps(unknown, [step('r', 0)])).toBe(false);
    expect(await s.listSteps(unknown, 10)).toEqual([]);
    await s.close();
  });

  it('merges a settings change, moves updatedAt, keeps createdAt', async () => {
    let now = Date.UTC(2026, 0, 1);
    const s = await open({ clock: () => now });
    const agent = await s.createAgent(newAgent('tuned'));
    now += 60_000;
    const merged = await s.updateSettings(agent.id, { temperature: 1.5, tools: ['calculator'] });
    expect(merged).toEqual({ ...settings, temperature: 1.5, tools: ['calculator'] });
    const again = await s.getAgent(agent.id);
    expect(again?.settings).toEqual(merged);
    expect(again?.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(again?.updatedAt).toBe('2026-01-01T00:01:00.000Z');
    await s.close();
  });

  it('applies concurrent changes to different keys without losing one', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('busy'));
    await Promise.all([
      s.updateSettings(agent.id, { temperature: 0.7 }),
      s.updateSettings(agent.id, { maxSteps: 3 }),
      s.updateSettings(agent.id, { systemPrompt: 'short' }),
      s.updateSettings(agent.id, { tools: [] }),
    ]);
    expect((await s.getAgent(agent.id))?.settings).toEqual({
      maxSteps: 3,
      temperature: 0.7,
      systemPrompt: 'short',
      tools: [],
    });
    await s.close();
  });

  it('keeps steps in append order and returns the newest `limit`, oldest first', async () => {
    const s = await open();
    const a = await s.createAgent(newAgent('a'));
    const b = await s.createAgent(newAgent('b'));
    expect(await s.appendSteps(a.id, [step('r1', 0), step('r1', 1)])).toBe(true);
    expect(await s.appendSteps(b.id, [step('other', 0)])).toBe(true);
    expect(await s.appendSteps(a.id, [step('r2', 0), step('r2', 1), step('r2', 2)])).toBe(true);
    const all = await s.listSteps(a.id, 100);
    expect(all.map((x) => `${x.runId}/${x.seq}`)).toEqual(['r1/0', 'r1/1', 'r2/0', 'r2/1', 'r2/2']);
    expect((await s.listSteps(a.id, 2)).map((x) => `${x.runId}/${x.seq}`)).toEqual([
      'r2/1',
      'r2/2',
    ]);
    expect(all[0]).toEqual(step('r1', 0));
    expect(await s.listSteps(b.id, 100)).toEqual([step('other', 0)]);
    await s.close();
  });

  it('writes a step batch atomically: one bad step and nothing of the batch lands', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('atomic'));
    await expect(
      s.appendSteps(agent.id, [step('r', 0), { ...step('r', 1), seq: Number.NaN }]),
    ).rejects.toThrow();
    expect(await s.listSteps(agent.id, 10)).toEqual([]);
    await s.close();
  });

  it('deletes an agent with its history, and refuses steps for it afterwards', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('gone'));
    const kept = await s.createAgent(newAgent('kept'));
    await s.appendSteps(agent.id, [step('r', 0)]);
    expect(await s.deleteAgent(agent.id)).toBe(true);
    expect(await s.deleteAgent(agent.id)).toBe(false);
    expect(await s.getAgent(agent.id)).toBeUndefined();
    expect(await s.listSteps(agent.id, 10)).toEqual([]);
    expect(await s.appendSteps(agent.id, [step('r', 1)])).toBe(false);
    expect((await s.listAgents()).map((a) => a.id)).toEqual([kept.id]);
    await s.close();
  });

  it('stores long and non-ASCII text unchanged', async () => {
    const s = await open();
    const name = `Zoë 🦊 ${'ß'.repeat(90)}`;
    const agent = await s.createAgent({
      ...newAgent(name),
      settings: { ...settings, systemPrompt: '"quoted" \\ NUL-free ✓'.repeat(100) },
    });
    // A model may emit U+0000: steps keep it (agent fields refuse it at the API).
    const text = 'ünïcödé 🧪 \u0000 '.repeat(2000);
    await s.appendSteps(agent.id, [step('r', 0, text)]);
    expect((await s.getAgent(agent.id))?.name).toBe(name);
    expect((await s.getAgent(agent.id))?.settings.systemPrompt).toBe(agent.settings.systemPrompt);
    expect((await s.listSteps(agent.id, 1))[0]).toEqual(step('r', 0, text));
    await s.close();
  });

  it('pages history newest first with cursors: every step once, oldest first within a page', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('paged'));
    const other = await s.createAgent(newAgent('other'));
    const steps = Array.from({ length: 7 }, (_, i) => step('r', i));
    expect(await s.appendSteps(agent.id, steps.slice(0, 3))).toBe(true);
    expect(await s.appendSteps(other.id, [step('x', 0)])).toBe(true);
    expect(await s.appendSteps(agent.id, steps.slice(3))).toBe(true);
    const pages: Step[][] = [];
    let before: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await s.pageSteps(agent.id, {
        before,
        limit: 3,
        maxBytes: 1 << 20,
        atLeastOne: true,
      });
      pages.push(page.steps);
      if (page.older === undefined) break;
      expect(page.older).toMatch(/^[1-9]\d*$/);
      before = page.older;
    }
    expect(pages.map((p) => p.map((x) => x.seq))).toEqual([[4, 5, 6], [1, 2, 3], [0]]);
    expect(await s.pageSteps(other.id, { limit: 3, maxBytes: 1 << 20, atLeastOne: true })).toEqual({
      steps: [step('x', 0)],
    });
    await s.close();
  });

  it('keeps a page within its byte budget, and takes one oversized step only with atLeastOne', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('budget'));
    const big = step('r', 2, 'ü'.repeat(600));
    await s.appendSteps(agent.id, [step('r', 0), step('r', 1), big]);
    const size = (x: Step) => Buffer.byteLength(JSON.stringify(x));
    const budget = size(big) - 1;
    // Without atLeastOne nothing fits: no steps, and a cursor that starts at the newest step.
    const none = await s.pageSteps(agent.id, { limit: 10, maxBytes: budget, atLeastOne: false });
    expect(none.steps).toEqual([]);
    expect(none.older).toBeDefined();
    const one = await s.pageSteps(agent.id, {
      before: none.older,
      limit: 10,
      maxBytes: budget,
      atLeastOne: true,
    });
    expect(one.steps).toEqual([big]);
    // The next page holds the two small steps (both fit), and nothing older remains.
    const rest = await s.pageSteps(agent.id, {
      before: one.older,
      limit: 10,
      maxBytes: size(step('r', 0)) + size(step('r', 1)),
      atLeastOne: false,
    });
    expect(rest).toEqual({ steps: [step('r', 0), step('r', 1)] });
    await s.close();
  });

  it('answers an empty page and latest step id 0 for an agent without history', async () => {
    const s = await open();
    const agent = await s.createAgent(newAgent('empty'));
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const id of [agent.id, unknown]) {
      expect(await s.pageSteps(id, { limit: 5, maxBytes: 1024, atLeastOne: true })).toEqual({
        steps: [],
      });
      expect(await s.latestStepId(id)).toBe(0);
    }
    await s.close();
  });

  it('moves the latest step id on every append to that agent only', async () => {
    const s = await open();
    const a = await s.createAgent(newAgent('a'));
    const b = await s.createAgent(newAgent('b'));
    await s.appendSteps(a.id, [step('r', 0)]);
    const first = await s.latestStepId(a.id);
    expect(first).toBeGreaterThan(0);
    await s.appendSteps(b.id, [step('r', 0)]);
    expect(await s.latestStepId(a.id)).toBe(first);
    await s.appendSteps(a.id, [step('r', 1), step('r', 2)]);
    const second = await s.latestStepId(a.id);
    expect(second).toBeGreaterThan(first);
    // The id is the cursor position of the newest step: the page before it is everything older.
    const page = await s.pageSteps(a.id, {
      before: String(second),
      limit: 10,
      maxBytes: 1 << 20,
      atLeastOne: true,
    });
    expect(page.steps.map((x) => x.seq)).toEqual([0, 1]);
    await s.close();
  });
});
