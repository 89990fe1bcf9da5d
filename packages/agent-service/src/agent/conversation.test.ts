import type { Step } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { conversationFrom, HISTORY_RUNS } from './conversation.js';

const at = new Date(0).toISOString();

describe('conversationFrom', () => {
  it('keeps prompt and final answer of completed runs only, newest exchanges last', () => {
    const steps: Step[] = [
      { kind: 'prompt', runId: 'a', seq: 0, at, text: 'q1' },
      {
        kind: 'tool_call',
        runId: 'a',
        seq: 1,
        at,
        callId: 'c',
        tool: 'calculator',
        arguments: '{}',
      },
      { kind: 'final_answer', runId: 'a', seq: 2, at, text: 'a1' },
      { kind: 'prompt', runId: 'b', seq: 0, at, text: 'stopped one' },
      { kind: 'model_text', runId: 'b', seq: 1, at, text: 'partial' },
    ];
    expect(conversationFrom(steps)).toEqual([
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
    ]);
  });

  it(`keeps the last ${HISTORY_RUNS} exchanges`, () => {
    const steps: Step[] = Array.from({ length: HISTORY_RUNS + 5 }, (_, i) => [
      { kind: 'prompt' as const, runId: `r${i}`, seq: 0, at, text: `q${i}` },
      { kind: 'final_answer' as const, runId: `r${i}`, seq: 1, at, text: `a${i}` },
    ]).flat();
    const messages = conversationFrom(steps);
    expect(messages).toHaveLength(HISTORY_RUNS * 2);
    expect(messages[0]).toEqual({ role: 'user', content: 'q5' });
  });
});
