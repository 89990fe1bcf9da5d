import type { Agent } from '@agentauth/agent-api';
import type { Logger } from 'pino';
import { LlmError, type LlmErrorCode } from '../llm/llm-client.js';
import { type ModelCatalog, unknownModelMessage } from '../llm/model-catalog.js';
import type { RunAuth, RunManager } from './run-manager.js';

export type StartOutcome =
  | { readonly started: true; readonly runId: string }
  | {
      readonly started: false;
      readonly code: 'ERR_RUN_IN_PROGRESS' | 'ERR_SERVICE_RESTARTING' | LlmErrorCode;
      readonly message: string;
      readonly retryAfterMs?: number | undefined;
    };

/** What a WebSocket prompt and the REST prompt route both need to start a run. */
export interface StartRunDeps {
  readonly runs: RunManager;
  readonly catalog: ModelCatalog;
  readonly logger: Logger;
}

/**
 * Starts a run the one way both entry points share: the agent's model must still be allowed
 * (an allow-list may have shrunk since it was created), then the run manager admits it against
 * the per-user limits. Every refusal is a value with a code, a sentence and, when waiting helps,
 * a retry time — never a silent drop.
 * @example const outcome = await startRun(deps, agent, 'What is 6*7?', { user, exp })
 */
export async function startRun(
  deps: StartRunDeps,
  agent: Agent,
  prompt: string,
  auth: RunAuth,
): Promise<StartOutcome> {
  try {
    const check = await deps.catalog.check(agent.modelType);
    if (!check.ok) {
      return {
        started: false,
        code: 'ERR_MODEL_UNKNOWN',
        message: unknownModelMessage(agent.modelType, check.allowed),
      };
    }
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    deps.logger.warn({ code: error.code, detail: error.detail }, 'model list failed');
    return {
      started: false,
      code: error.code,
      message: error.message,
      retryAfterMs: error.retryAfterMs,
    };
  }
  const result = await deps.runs.start(agent, prompt, auth);
  if (result.started) return result;
  if (result.reason === 'draining') {
    return {
      started: false,
      code: 'ERR_SERVICE_RESTARTING',
      message:
        'This replica is restarting; the socket will reconnect — send the prompt again then.',
    };
  }
  if (result.reason !== 'limit') {
    return {
      started: false,
      code: 'ERR_RUN_IN_PROGRESS',
      message: 'This agent is already running a prompt; stop it or wait for it to finish.',
    };
  }
  return {
    started: false,
    code: result.code,
    message: result.message,
    retryAfterMs: result.retryAfterMs,
  };
}
