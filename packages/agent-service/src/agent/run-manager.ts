import {
  type Agent,
  PROTOCOL_VERSION,
  type RunState,
  type ServerEvent,
  SNAPSHOT_MAX_STEPS,
} from '@agentauth/agent-api';
import { onTokenExpiry } from '@agentauth/auth-core/ws';
import type { Logger } from 'pino';
import type { LlmClient } from '../llm/llm-client.js';
import type { ServiceMetrics } from '../metrics.js';
import type { AgentStore } from '../store/agent-store.js';
import { conversationFrom } from './conversation.js';
import { type RunOutcome, runReact } from './react-loop.js';

/** What a socket of an agent hears. */
export interface AgentListener {
  /** A step, status or error event of the agent's runs. */
  event(event: ServerEvent): void;
  /** The agent was deleted. */
  deleted(): void;
}

interface ActiveRun {
  readonly runId: string;
  readonly controller: AbortController;
  readonly done: Promise<void>;
}

export interface RunManagerDeps {
  readonly store: AgentStore;
  readonly llm: LlmClient;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly metrics: ServiceMetrics;
}

/**
 * Owns the agents' runs on this instance: at most one run per agent, stop, fan-out of events to
 * every socket of the agent, and the last run state. A run never outlives the token that started
 * it: it is aborted when that token expires.
 * @example
 * const runs = createRunManager({ store, llm, logger, clock, metrics });
 * const started = runs.start(agent, 'What is 6*7?', auth.exp);
 */
export function createRunManager(deps: RunManagerDeps) {
  const { store, llm, logger, clock, metrics } = deps;
  const active = new Map<string, ActiveRun>();
  const lastState = new Map<string, RunState>();
  const listeners = new Map<string, Set<AgentListener>>();

  const broadcast = (agentId: string, event: ServerEvent) => {
    for (const listener of listeners.get(agentId) ?? []) listener.event(event);
  };

  const finish = (agent: Agent, runId: string, outcome: RunOutcome) => {
    if (store.getAgent(agent.id)) lastState.set(agent.id, outcome.state);
    metrics.runs.inc({ outcome: outcome.state === 'error' ? outcome.code : outcome.state });
    if (outcome.state === 'error') {
      broadcast(agent.id, {
        v: PROTOCOL_VERSION,
        type: 'error',
        code: outcome.code,
        message: outcome.message,
        runId,
      });
    }
    broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'status', state: outcome.state, runId });
  };

  return {
    /** `running` while a run is active, else the last run's end state (`idle` if none). */
    state(agentId: string): RunState {
      return active.has(agentId) ? 'running' : (lastState.get(agentId) ?? 'idle');
    },

    /**
     * Starts a run unless one is active for the agent. `tokenExp` (seconds) bounds its life.
     * @example runs.start(agent, text, exp) // { started: true, runId } | { started: false }
     */
    start(
      agent: Agent,
      prompt: string,
      tokenExp: number,
    ): { started: true; runId: string } | { started: false } {
      if (active.has(agent.id)) return { started: false };
      const runId = crypto.randomUUID();
      const controller = new AbortController();
      const cancelExpiry = onTokenExpiry(tokenExp, () => controller.abort(), clock);
      const history = conversationFrom(store.listSteps(agent.id, SNAPSHOT_MAX_STEPS));
      broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'status', state: 'running', runId });
      const done = runReact({
        agent,
        runId,
        prompt,
        history,
        llm,
        signal: controller.signal,
        clock,
        onDelta: (delta) => broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'step', step: delta }),
        onStep: (step) => {
          if (!store.appendSteps(agent.id, [step])) {
            controller.abort();
            return;
          }
          broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'step', step });
        },
      })
        .catch((error: unknown): RunOutcome => {
          logger.error({ err: error, agentId: agent.id, runId }, 'agent run failed');
          return { state: 'error', code: 'ERR_INTERNAL', message: 'The run failed unexpectedly.' };
        })
        .then((outcome) => {
          cancelExpiry();
          active.delete(agent.id);
          finish(agent, runId, outcome);
          logger.info({ agentId: agent.id, runId, outcome: outcome.state }, 'agent run finished');
        });
      active.set(agent.id, { runId, controller, done });
      logger.info({ agentId: agent.id, runId }, 'agent run started');
      return { started: true, runId };
    },

    /** Interrupts the agent's active run; false when none was running. */
    stop(agentId: string): boolean {
      const run = active.get(agentId);
      if (!run) return false;
      run.controller.abort();
      return true;
    },

    /** Listens to an agent's events; returns the unsubscribe function. */
    subscribe(agentId: string, listener: AgentListener): () => void {
      let set = listeners.get(agentId);
      if (!set) {
        set = new Set();
        listeners.set(agentId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(agentId) === set) listeners.delete(agentId);
      };
    },

    /** The agent is gone: stop its run, tell its sockets, forget its state. */
    deleted(agentId: string): void {
      active.get(agentId)?.controller.abort();
      lastState.delete(agentId);
      for (const listener of [...(listeners.get(agentId) ?? [])]) listener.deleted();
    },

    /** Aborts every run and waits for them to record their end. */
    async shutdown(): Promise<void> {
      const runs = [...active.values()];
      for (const run of runs) run.controller.abort();
      await Promise.all(runs.map((run) => run.done));
    },

    /** Number of active runs. */
    get activeCount(): number {
      return active.size;
    },
  };
}

export type RunManager = ReturnType<typeof createRunManager>;
