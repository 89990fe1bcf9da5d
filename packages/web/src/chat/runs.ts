import type { RunState, Step } from '@agentauth/agent-api';
import type { Problem, StreamingText, Transcript } from './transcript.js';

/** How a run ended, or that it still runs. */
export type RunOutcome = 'running' | 'completed' | 'failed' | 'stopped';

/** One tool call with its result (absent while the tool runs). */
export interface ToolUse {
  readonly kind: 'tool';
  readonly call: Extract<Step, { kind: 'tool_call' }>;
  readonly result: Extract<Step, { kind: 'tool_result' }> | undefined;
}

/** What a run shows, in order. */
export type RunItem =
  | { readonly kind: 'prompt'; readonly step: Extract<Step, { kind: 'prompt' }> }
  | {
      readonly kind: 'text';
      readonly step: Extract<Step, { kind: 'model_text' | 'final_answer' }>;
      /** The run ended before this text was finished (a stop or a failure). */
      readonly interrupted: boolean;
    }
  | ToolUse
  | { readonly kind: 'streaming'; readonly text: StreamingText };

/** One prompt and everything it caused. */
export interface RunView {
  readonly runId: string;
  readonly prompt: string | undefined;
  readonly items: readonly RunItem[];
  readonly outcome: RunOutcome;
  /** Why it failed, once, whether the service recorded an error step or only sent an event. */
  readonly error: Problem | undefined;
}

/**
 * Groups the transcript into runs and says how each ended: a final answer → completed; an error →
 * failed; the newest run while the agent runs → running; anything else was stopped (by the user,
 * an expired session or a service restart). Text cut short by a stop or failure is marked.
 * @example groupRuns(transcript).at(-1)?.outcome // 'failed'
 */
export function groupRuns(
  transcript: Pick<Transcript, 'steps' | 'streaming' | 'runState' | 'runId' | 'failures'>,
): RunView[] {
  const order: string[] = [];
  const byRun = new Map<string, Step[]>();
  for (const step of transcript.steps) {
    let list = byRun.get(step.runId);
    if (!list) {
      list = [];
      byRun.set(step.runId, list);
      order.push(step.runId);
    }
    list.push(step);
  }
  for (const s of transcript.streaming) {
    if (!byRun.has(s.runId)) {
      byRun.set(s.runId, []);
      order.push(s.runId);
    }
  }
  const newest = transcript.runId ?? order.at(-1);
  return order.map((runId, index) => {
    const steps = byRun.get(runId) ?? [];
    const streaming = transcript.streaming.filter((s) => s.runId === runId);
    const isRunning =
      transcript.runState === 'running' &&
      (runId === newest || (transcript.runId === undefined && index === order.length - 1));
    const errorStep = steps.find((s) => s.kind === 'error');
    const event = transcript.failures[runId];
    const failure: Problem | undefined =
      errorStep?.kind === 'error'
        ? {
            code: errorStep.code,
            message: errorStep.message,
            ...(event?.retryAt === undefined ? {} : { retryAt: event.retryAt }),
          }
        : event;
    const outcome = endOf(steps, isRunning, failure, transcript.runState, runId === newest);
    return {
      runId,
      prompt: steps.find((s) => s.kind === 'prompt')?.text,
      items: itemsOf(steps, streaming, outcome),
      outcome,
      error: outcome === 'failed' ? failure : undefined,
    };
  });
}

function endOf(
  steps: readonly Step[],
  isRunning: boolean,
  failure: Problem | undefined,
  state: RunState,
  isNewest: boolean,
): RunOutcome {
  if (steps.some((s) => s.kind === 'final_answer')) return 'completed';
  if (failure) return 'failed';
  if (isRunning) return 'running';
  if (isNewest && state === 'error') return 'failed';
  return 'stopped';
}

function itemsOf(
  steps: readonly Step[],
  streaming: readonly StreamingText[],
  outcome: RunOutcome,
): RunItem[] {
  const items: RunItem[] = [];
  const ended = outcome === 'failed' || outcome === 'stopped';
  const lastText = steps.filter((s) => s.kind !== 'error').at(-1);
  for (const step of steps) {
    switch (step.kind) {
      case 'prompt':
        items.push({ kind: 'prompt', step });
        break;
      case 'model_text':
      case 'final_answer':
        items.push({
          kind: 'text',
          step,
          interrupted: ended && step.kind === 'model_text' && step === lastText,
        });
        break;
      case 'tool_call':
        items.push({
          kind: 'tool',
          call: step,
          result: steps.find(
            (s): s is Extract<Step, { kind: 'tool_result' }> =>
              s.kind === 'tool_result' && s.callId === step.callId,
          ),
        });
        break;
      case 'tool_result':
      case 'error':
        // Shown with its call, and as the run's error.
        break;
    }
  }
  for (const text of streaming) items.push({ kind: 'streaming', text });
  return items;
}
