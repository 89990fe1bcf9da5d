import type { Agent, ProtocolErrorCode, Step, TextDelta } from '@agentauth/agent-api';
import { type ChatMessage, type ChatUsage, type LlmClient, LlmError } from '../llm/llm-client.js';
import { runTool, toolDefinitions } from './tools/registry.js';

/** A step before the loop stamps it with run id, sequence number and time. */
type StepBody = Step extends infer S
  ? S extends Step
    ? Omit<S, 'runId' | 'seq' | 'at'>
    : never
  : never;

export interface ReactRun {
  readonly agent: Agent;
  readonly runId: string;
  readonly prompt: string;
  /** Earlier conversation of this agent (user prompts and final answers), oldest first. */
  readonly history: readonly ChatMessage[];
  readonly llm: LlmClient;
  /** Aborted by a stop, an expired token, a deleted agent or shutdown. */
  readonly signal: AbortSignal;
  readonly clock: () => number;
  /** Streams model text as it arrives. */
  readonly onDelta: (delta: TextDelta) => void;
  /** Records a completed step (the caller persists and broadcasts it). */
  readonly onStep: (step: Step) => void;
  /** The prompting user's id, sent to the provider with every call. */
  readonly user?: string;
  /** `max_tokens` of every call. */
  readonly maxTokens?: number;
  /** Usage of each model call, with the `seq` of the step it produced. */
  readonly onUsage?: (usage: ChatUsage, stepSeq: number) => void;
  /** Asked before every model call; an outcome ends the run with it (e.g. budget used up). */
  readonly beforeCall?: () => Promise<RunOutcome | undefined>;
}

export type RunOutcome =
  | { readonly state: 'completed' }
  | { readonly state: 'stopped' }
  | {
      readonly state: 'error';
      readonly code: ProtocolErrorCode;
      readonly message: string;
      readonly retryAfterMs?: number | undefined;
      /** What the provider said (sanitised), for the operator's log only. */
      readonly detail?: string | undefined;
    };

/**
 * Runs one prompt as a ReAct loop: the model reasons (streamed text), calls tools from the agent's
 * enabled built-ins, sees their results, and repeats until it answers without a tool call — at most
 * `settings.maxSteps` model turns. Every completed step goes to `onStep` in order (`prompt`,
 * `model_text`, `tool_call`, `tool_result`, …, `final_answer` or `error`); text deltas carry the
 * `seq` of the step they build. An aborted signal ends the run as `stopped`, and a model failure as `error`; both keep any
 * partial text as a `model_text` step. Every call names the user and carries the agent and run ids;
 * its usage goes to `onUsage`; `beforeCall` may end the run before a call (a budget used up).
 * @example const outcome = await runReact({ agent, runId, prompt, history: [], llm, signal, clock, onDelta, onStep })
 */
export async function runReact(run: ReactRun): Promise<RunOutcome> {
  const { agent, runId, llm, signal, clock } = run;
  const { maxSteps, temperature, systemPrompt, tools } = agent.settings;
  let seq = 0;
  const record = (body: StepBody) => {
    run.onStep({ ...body, runId, seq: seq++, at: new Date(clock()).toISOString() } as Step);
  };

  record({ kind: 'prompt', text: run.prompt });
  const messages: ChatMessage[] = [
    ...(systemPrompt.trim() ? [{ role: 'system' as const, content: systemPrompt }] : []),
    ...run.history,
    { role: 'user', content: run.prompt },
  ];
  const definitions = toolDefinitions(tools);

  for (let turn = 0; turn < maxSteps; turn++) {
    if (signal.aborted) return { state: 'stopped' };
    const refused = await run.beforeCall?.();
    if (refused) {
      if (refused.state === 'error')
        record({ kind: 'error', code: refused.code, message: refused.message });
      return refused;
    }
    if (signal.aborted) return { state: 'stopped' };
    const turnSeq = seq;
    let streamed = '';
    let result: Awaited<ReturnType<LlmClient['chat']>>;
    try {
      result = await llm.chat(
        {
          model: agent.modelType,
          messages,
          tools: definitions,
          temperature,
          ...(run.maxTokens === undefined ? {} : { maxTokens: run.maxTokens }),
          ...(run.user === undefined ? {} : { user: run.user }),
          metadata: { agent_id: agent.id, run_id: runId },
        },
        {
          signal,
          onTextDelta: (delta) => {
            if (signal.aborted) return;
            streamed += delta;
            run.onDelta({ kind: 'text_delta', runId, seq: turnSeq, delta });
          },
          onUsage: (usage) => run.onUsage?.(usage, turnSeq),
        },
      );
    } catch (error) {
      if (signal.aborted) {
        if (streamed) record({ kind: 'model_text', text: streamed });
        return { state: 'stopped' };
      }
      if (error instanceof LlmError) {
        // A model that failed mid-stream still said something: keep it in the history, before
        // the error, so a reload shows the same partial answer the reader saw.
        if (streamed) record({ kind: 'model_text', text: streamed });
        record({ kind: 'error', code: error.code, message: error.message });
        return {
          state: 'error',
          code: error.code,
          message: error.message,
          retryAfterMs: error.retryAfterMs,
          detail: error.detail,
        };
      }
      throw error;
    }
    if (signal.aborted) {
      if (result.content) record({ kind: 'model_text', text: result.content });
      return { state: 'stopped' };
    }

    if (result.toolCalls.length === 0) {
      record({ kind: 'final_answer', text: result.content });
      return { state: 'completed' };
    }
    if (result.content) record({ kind: 'model_text', text: result.content });
    messages.push({
      role: 'assistant',
      content: result.content || null,
      tool_calls: result.toolCalls,
    });
    for (const call of result.toolCalls) {
      if (signal.aborted) return { state: 'stopped' };
      record({
        kind: 'tool_call',
        callId: call.id,
        tool: call.function.name,
        arguments: call.function.arguments,
      });
      const outcome = runTool(tools, call.function.name, call.function.arguments, { clock });
      record({
        kind: 'tool_result',
        callId: call.id,
        tool: call.function.name,
        output: outcome.output,
        ok: outcome.ok,
      });
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.output });
    }
  }
  const message = `The agent used all ${maxSteps} steps without reaching a final answer.`;
  record({ kind: 'error', code: 'ERR_MAX_STEPS', message });
  return { state: 'error', code: 'ERR_MAX_STEPS', message };
}
