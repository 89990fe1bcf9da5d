import { describe, expect, it } from 'vitest';
import type { LlmClient } from './llm-client.js';
import { LlmError } from './llm-client.js';
import { createModelCatalog } from './model-catalog.js';

function provider(answers: Array<string[] | Error>) {
  let calls = 0;
  const llm: LlmClient = {
    async listModels() {
      const answer = answers[Math.min(calls++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return (answer ?? []).map((id) => ({ id }));
    },
    chat: () => Promise.reject(new Error('not used')),
  };
  return { llm, calls: () => calls };
}

describe('createModelCatalog', () => {
  it('serves the cached list until refreshMs, sharing one fetch between concurrent callers', async () => {
    let now = 0;
    const p = provider([['a'], ['a', 'b']]);
    const catalog = createModelCatalog(p.llm, { allowList: [], refreshMs: 1000, clock: () => now });
    await Promise.all([catalog.list(), catalog.check('a'), catalog.check('b')]);
    expect(p.calls()).toBe(1);
    expect(await catalog.check('b')).toEqual({ ok: false, allowed: ['a'] });
    now = 1000;
    expect(await catalog.check('b')).toEqual({ ok: true });
    expect(p.calls()).toBe(2);
  });

  it('keeps only allow-listed models, and does not cache a failed fetch', async () => {
    const p = provider([new LlmError('down'), ['a', 'b', 'c']]);
    const catalog = createModelCatalog(p.llm, {
      allowList: ['c', 'a', 'z'],
      refreshMs: 60_000,
      clock: () => 0,
    });
    await expect(catalog.list()).rejects.toBeInstanceOf(LlmError);
    expect((await catalog.list()).map((m) => m.id)).toEqual(['a', 'c']);
    expect(await catalog.check('b')).toEqual({ ok: false, allowed: ['a', 'c'] });
  });
});
