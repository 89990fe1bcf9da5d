import type { Step } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import { step } from '../../test/fake-backend.js';
import { groupRuns } from './runs.js';
import { EMPTY_TRANSCRIPT, type Transcript } from './transcript.js';

const inRun = (runId: string, s: Step): Step => ({ ...s, runId });
const transcript = (patch: Partial<Transcript>): Transcript => ({ ...EMPTY_TRANSCRIPT, ...patch });

describe('groupRuns', () => {
  it('groups steps by run and pairs each tool call with its result', () => {
    const runs = groupRuns(
      transcript({
        steps: [
          step('prompt', { seq: 0, text: 'q' }),
          step('tool_call', { seq: 1, callId: 'c', tool: 'calculator', arguments: '{}' }),
          step('tool_result', { seq: 2, callId: 'c', tool: 'calculator', output: '4', ok: true }),
          step('final_answer', { seq: 3, text: '4' }),
          inRun('run-2', step('prompt', { seq: 0, text: 'again' })),
        ],
        runState: 'running',
        runId: 'run-2',
      }),
    );
    expect(runs.map((r) => [r.runId, r.outcome, r.prompt])).toEqual([
      ['run-1', 'completed', 'q'],
      ['run-2', 'running', 'again'],
    ]);
    expect(runs[0]?.items.map((i) => i.kind)).toEqual(['prompt', 'tool', 'text']);
    const tool = runs[0]?.items[1];
    expect(tool?.kind === 'tool' && tool.result?.output).toBe('4');
  });

  it('calls a run without an answer or error stopped, and marks its last text interrupted', () => {
    const [run] = groupRuns(
      transcript({
        steps: [step('prompt', { seq: 0, text: 'q' }), step('model_text', { seq: 1, text: '1 2' })],
        runState: 'stopped',
      }),
    );
    expect(run?.outcome).toBe('stopped');
    expect(run?.items[1]).toMatchObject({ kind: 'text', interrupted: true });
  });

  it('does not mark reasoning before a tool call as interrupted when the run failed later', () => {
    const [run] = groupRuns(
      transcript({
        steps: [
          step('prompt', { seq: 0, text: 'q' }),
          step('model_text', { seq: 1, text: 'Let me check.' }),
          step('tool_call', { seq: 2, callId: 'c', tool: 'current_time', arguments: '{}' }),
          step('tool_result', {
            seq: 3,
            callId: 'c',
            tool: 'current_time',
            output: 'now',
            ok: true,
          }),
          step('error', { seq: 4, code: 'ERR_MAX_STEPS', message: 'x' }),
        ],
        runState: 'error',
      }),
    );
    expect(run?.outcome).toBe('failed');
    expect(run?.error).toEqual({ code: 'ERR_MAX_STEPS', message: 'x' });
    expect(run?.items[1]).toMatchObject({ kind: 'text', interrupted: false });
  });

  it('takes a failure from the error event when the service recorded no error step', () => {
    const [run] = groupRuns(
      transcript({
        steps: [step('prompt', { seq: 0, text: 'q' })],
        runState: 'error',
        runId: 'run-1',
        failures: { 'run-1': { code: 'ERR_INTERNAL', message: 'x' } },
      }),
    );
    expect(run).toMatchObject({ outcome: 'failed', error: { code: 'ERR_INTERNAL' } });
  });

  it('words a recorded error step and takes when to try again from its event', () => {
    const [run] = groupRuns(
      transcript({
        steps: [
          step('prompt', { seq: 0, text: 'q' }),
          step('error', { seq: 1, code: 'ERR_RATE_LIMITED', message: 'slow down' }),
        ],
        runState: 'error',
        runId: 'run-1',
        failures: { 'run-1': { code: 'ERR_RATE_LIMITED', message: 'slow down', retryAt: 42 } },
      }),
    );
    expect(run?.error).toEqual({ code: 'ERR_RATE_LIMITED', message: 'slow down', retryAt: 42 });
  });

  it('shows text still streaming at the end of its run', () => {
    const [run] = groupRuns(
      transcript({
        steps: [step('prompt', { seq: 0, text: 'q' })],
        streaming: [{ runId: 'run-1', seq: 1, text: 'par' }],
        runState: 'running',
        runId: 'run-1',
      }),
    );
    expect(run?.items.at(-1)).toEqual({
      kind: 'streaming',
      text: { runId: 'run-1', seq: 1, text: 'par' },
    });
  });
});
