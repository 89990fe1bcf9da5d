import type { ServerEvent } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { step, V } from '../../test/fake-backend.js';
import {
  applyEvent,
  dismissNotice,
  EMPTY_TRANSCRIPT,
  prependPage,
  type Transcript,
} from './transcript.js';

const delta = (seq: number, text: string, runId = 'run-1'): ServerEvent => ({
  v: V,
  type: 'step' as const,
  step: { kind: 'text_delta' as const, runId, seq, delta: text },
});

describe('applyEvent', () => {
  it('concatenates deltas of one step and replaces them with the completed step', () => {
    let t: Transcript = EMPTY_TRANSCRIPT;
    t = applyEvent(t, delta(1, 'Hel'));
    t = applyEvent(t, delta(1, 'lo'));
    t = applyEvent(t, delta(2, 'other'));
    expect(t.streaming).toEqual([
      { runId: 'run-1', seq: 1, text: 'Hello' },
      { runId: 'run-1', seq: 2, text: 'other' },
    ]);
    t = applyEvent(t, {
      v: V,
      type: 'step',
      step: step('final_answer', { seq: 1, text: 'Hello' }),
    });
    expect(t.steps).toHaveLength(1);
    expect(t.streaming).toEqual([{ runId: 'run-1', seq: 2, text: 'other' }]);
  });

  it('ignores a step it already has (e.g. replayed after a reconnect)', () => {
    const s: ServerEvent = { v: V, type: 'step', step: step('prompt', { seq: 0, text: 'hi' }) };
    expect(applyEvent(applyEvent(EMPTY_TRANSCRIPT, s), s).steps).toHaveLength(1);
  });

  it('replaces the history with a snapshot', () => {
    let t = applyEvent(EMPTY_TRANSCRIPT, delta(0, 'stale'));
    t = applyEvent(t, {
      v: V,
      type: 'snapshot',
      agent: {} as never,
      status: 'completed',
      steps: [step('prompt', { seq: 0, text: 'q' })],
    });
    expect(t.steps).toHaveLength(1);
    expect(t.streaming).toEqual([]);
    expect(t.runState).toBe('completed');
  });

  it('keeps a run failure that has no error step with its run, once', () => {
    let t = applyEvent(EMPTY_TRANSCRIPT, {
      v: V,
      type: 'error',
      code: 'ERR_INTERNAL',
      message: 'The run failed unexpectedly.',
      runId: 'run-1',
    });
    expect(t.failures).toEqual({
      'run-1': { code: 'ERR_INTERNAL', message: 'The run failed unexpectedly.' },
    });
    expect(t.notice).toBeNull();
    // An error the service also recorded as a step is not kept twice.
    const recorded = {
      ...step('error', { seq: 1, code: 'ERR_MAX_STEPS', message: 'x' }),
      runId: 'run-2',
    };
    t = applyEvent(t, { v: V, type: 'step', step: recorded });
    t = applyEvent(t, { v: V, type: 'error', code: 'ERR_MAX_STEPS', message: 'x', runId: 'run-2' });
    expect(Object.keys(t.failures)).toEqual(['run-1']);
  });

  it('turns retryAfterMs into the moment the refusal passes, for a notice and a recorded run error', () => {
    const now = 1_000_000;
    let t = applyEvent(
      EMPTY_TRANSCRIPT,
      { v: V, type: 'error', code: 'ERR_RATE_LIMITED', message: 'm', retryAfterMs: 30_000 },
      now,
    );
    expect(t.notice).toEqual({ code: 'ERR_RATE_LIMITED', message: 'm', retryAt: now + 30_000 });
    const recorded = {
      ...step('error', { seq: 1, code: 'ERR_BUDGET_EXCEEDED', message: 'b' }),
      runId: 'run-3',
    };
    t = applyEvent(t, { v: V, type: 'step', step: recorded });
    t = applyEvent(
      t,
      {
        v: V,
        type: 'error',
        code: 'ERR_BUDGET_EXCEEDED',
        message: 'b',
        runId: 'run-3',
        retryAfterMs: 5_000,
      },
      now,
    );
    expect(t.failures['run-3']?.retryAt).toBe(now + 5_000);
  });

  it('keeps one refusal at a time, cleared when the next run starts', () => {
    let t: Transcript = EMPTY_TRANSCRIPT;
    for (let i = 0; i < 3; i++) {
      t = applyEvent(t, { v: V, type: 'error', code: 'ERR_RUN_IN_PROGRESS', message: `m${i}` });
    }
    expect(t.notice).toEqual({ code: 'ERR_RUN_IN_PROGRESS', message: 'm2' });
    expect(dismissNotice(t).notice).toBeNull();
    t = applyEvent(t, { v: V, type: 'status', state: 'running', runId: 'run-9' });
    expect(t.notice).toBeNull();
  });

  it('drops half-streamed text when a run ends (the service records it as a step)', () => {
    let t = applyEvent(EMPTY_TRANSCRIPT, delta(0, 'half'));
    t = applyEvent(t, { v: V, type: 'status', state: 'stopped', runId: 'run-1' });
    expect(t.streaming).toEqual([]);
    expect(t.runState).toBe('stopped');
  });

  it('leaves token expiry to the sign-in dialog and a deleted agent to the chat view', () => {
    for (const code of ['ERR_TOKEN_EXPIRED', 'ERR_NOT_FOUND'] as const) {
      const t = applyEvent(EMPTY_TRANSCRIPT, { v: V, type: 'error', code, message: 'x' });
      expect(t).toBe(EMPTY_TRANSCRIPT);
    }
  });
});

describe('prependPage', () => {
  it('puts older history in front of a bounded snapshot and follows the cursor until none is left', () => {
    let t = applyEvent(EMPTY_TRANSCRIPT, {
      v: V,
      type: 'snapshot',
      agent: {} as never,
      status: 'idle',
      steps: [step('final_answer', { seq: 3, text: 'newest' })],
      older: '40',
    });
    expect(t.older).toBe('40');
    t = prependPage(t, {
      steps: [
        step('prompt', { seq: 2, text: 'older' }),
        step('final_answer', { seq: 3, text: 'newest' }),
      ],
      older: '12',
    });
    expect(t.steps.map((s) => s.seq)).toEqual([2, 3]);
    expect(t.older).toBe('12');
    t = prependPage(t, { steps: [step('prompt', { seq: 0, text: 'first' })] });
    expect(t.steps.map((s) => s.seq)).toEqual([0, 2, 3]);
    expect(t.older).toBeUndefined();
  });
});
