import {
  type Agent,
  PROTOCOL_VERSION,
  type RunState,
  type ServerEvent,
  SNAPSHOT_MAX_STEPS,
} from '@agentauth/agent-api';
import type { SessionUser } from '@agentauth/auth-core';
import { onTokenExpiry } from '@agentauth/auth-core/ws';
import type { Logger } from 'pino';
import type { ChatUsage, LlmClient } from '../llm/llm-client.js';
import type { ServiceMetrics } from '../metrics.js';
import type { AgentAccessPolicy } from '../policy/agent-access.js';
import type { AgentStore } from '../store/agent-store.js';
import {
  type Admission,
  budgetRefusal,
  type UsageStore,
  type UserLimits,
  utcDayStart,
} from '../usage/usage-store.js';
import { conversationFrom } from './conversation.js';
import { type RunOutcome, runReact } from './react-loop.js';

/** What a socket of an agent hears. */
export interface AgentListener {
  /** Whose socket this is: events go only to users the policy lets read the agent. */
  readonly user: SessionUser;
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
  readonly policy: AgentAccessPolicy;
  /** Per-user limits and usage, shared by every replica. */
  readonly usage: UsageStore;
  readonly limits: UserLimits;
  /** `max_tokens` of every LLM call. */
  readonly maxTokens: number;
  /** How long a run's slot survives without a step (a dead replica's runs stop counting). */
  readonly leaseMs: number;
}

/** The user who starts a run, and when their token expires (seconds). */
export interface RunAuth {
  readonly user: SessionUser;
  readonly exp: number;
}

export type StartResult =
  | { readonly started: true; readonly runId: string }
  | { readonly started: false; readonly reason: 'busy' }
  | ({ readonly started: false; readonly reason: 'limit' } & Extract<
      Admission,
      { admitted: false }
    >);

/**
 * Owns the agents' runs on this instance: at most one run per agent, stop, fan-out of events to
 * every socket of the agent, and the last run state. A run never outlives the token that started
 * it: it is aborted when that token expires.
 * @example
 * const runs = createRunManager({ store, llm, logger, clock, metrics, policy, usage, limits, maxTokens, leaseMs });
 * const started = await runs.start(agent, 'What is 6*7?', { user, exp });
 */
export function createRunManager(deps: RunManagerDeps) {
  const { store, llm, logger, clock, metrics, policy, usage, limits } = deps;
  const active = new Map<string, ActiveRun>();
  /** Agents whose run is being admitted (the usage store is async): a second prompt is busy. */
  const admitting = new Set<string>();
  const lastState = new Map<string, RunState>();
  const listeners = new Map<string, Set<AgentListener>>();

  // The policy is asked again for every event, so a socket never hears an agent its user may not read.
  const broadcast = (agent: Agent, event: ServerEvent) => {
    for (const listener of listeners.get(agent.id) ?? []) {
      if (policy.mayAccess(listener.user, agent, 'read')) listener.event(event);
    }
  };

  const finish = (agent: Agent, runId: string, outcome: RunOutcome) => {
    if (store.getAgent(agent.id)) lastState.set(agent.id, outcome.state);
    metrics.runs.inc({ outcome: outcome.state === 'error' ? outcome.code : outcome.state });
    if (outcome.state === 'error') {
      broadcast(agent, {
        v: PROTOCOL_VERSION,
        type: 'error',
        code: outcome.code,
        message: outcome.message,
        runId,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      });
    }
    broadcast(agent, { v: PROTOCOL_VERSION, type: 'status', state: outcome.state, runId });
  };

  const recordUsage = (agent: Agent, runId: string, uid: number, u: ChatUsage, seq: number) => {
    metrics.llmCalls.inc({ model: agent.modelType });
    metrics.llmTokens.inc({ model: agent.modelType, kind: 'prompt' }, u.promptTokens);
    metrics.llmTokens.inc({ model: agent.modelType, kind: 'completion' }, u.completionTokens);
    if (u.costUsd !== undefined) metrics.llmCost.inc({ model: agent.modelType }, u.costUsd);
    return usage
      .recordUsage({
        uid,
        agentId: agent.id,
        runId,
        stepSeq: seq,
        model: agent.modelType,
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        costUsd: u.costUsd,
        at: clock(),
      })
      .catch((error: unknown) =>
        logger.error({ err: error, agentId: agent.id, runId }, 'recording LLM usage failed'),
      );
  };

  // Before every LLM call: keep the run's slot, and stop at the daily budget.
  const beforeCall = async (runId: string, uid: number): Promise<RunOutcome | undefined> => {
    const now = clock();
    await usage.renewRun(runId, now, deps.leaseMs);
    if (limits.dailyTokenBudget === undefined) return undefined;
    const refusal = budgetRefusal(await usage.tokensSince(uid, utcDayStart(now)), limits, now);
    if (!refusal) return undefined;
    metrics.limitRefusals.inc({ code: refusal.code, limit: refusal.limit });
    return {
      state: 'error',
      code: refusal.code,
      message: refusal.message,
      retryAfterMs: refusal.retryAfterMs,
    };
  };

  return {
    /** `running` while a run is active, else the last run's end state (`idle` if none). */
    state(agentId: string): RunState {
      return active.has(agentId) ? 'running' : (lastState.get(agentId) ?? 'idle');
    },

    /**
     * Starts a run unless one is active for the agent or a per-user limit refuses it (the usage
     * store admits atomically across replicas). The token's expiry bounds the run's life.
     * @example await runs.start(agent, text, { user, exp }) // { started: true, runId } | { started: false, reason }
     */
    async start(agent: Agent, prompt: string, auth: RunAuth): Promise<StartResult> {
      if (active.has(agent.id) || admitting.has(agent.id))
        return { started: false, reason: 'busy' };
      const runId = crypto.randomUUID();
      const uid = auth.user.uid;
      admitting.add(agent.id);
      let admission: Admission;
      try {
        admission = await usage.admitRun(
          { uid, runId, agentId: agent.id, now: clock(), leaseMs: deps.leaseMs },
          limits,
        );
      } finally {
        admitting.delete(agent.id);
      }
      if (!admission.admitted) {
        metrics.limitRefusals.inc({ code: admission.code, limit: admission.limit });
        logger.info(
          { agentId: agent.id, uid, code: admission.code, limit: admission.limit },
          'run refused',
        );
        return { started: false, reason: 'limit', ...admission };
      }
      const controller = new AbortController();
      const cancelExpiry = onTokenExpiry(auth.exp, () => controller.abort(), clock);
      const history = conversationFrom(store.listSteps(agent.id, SNAPSHOT_MAX_STEPS));
      const writes: Promise<unknown>[] = [];
      let refusedHere = false;
      broadcast(agent, { v: PROTOCOL_VERSION, type: 'status', state: 'running', runId });
      const done = runReact({
        agent,
        runId,
        prompt,
        history,
        llm,
        signal: controller.signal,
        clock,
        user: String(uid),
        maxTokens: deps.maxTokens,
        onUsage: (u, seq) => {
          writes.push(recordUsage(agent, runId, uid, u, seq));
        },
        beforeCall: async () => {
          const refused = await beforeCall(runId, uid);
          if (refused) refusedHere = true;
          return refused;
        },
        onDelta: (delta) => broadcast(agent, { v: PROTOCOL_VERSION, type: 'step', step: delta }),
        onStep: (step) => {
          if (!store.appendSteps(agent.id, [step])) {
            controller.abort();
            return;
          }
          broadcast(agent, { v: PROTOCOL_VERSION, type: 'step', step });
        },
      })
        .catch((error: unknown): RunOutcome => {
          logger.error({ err: error, agentId: agent.id, runId }, 'agent run failed');
          return { state: 'error', code: 'ERR_INTERNAL', message: 'The run failed unexpectedly.' };
        })
        .then(async (outcome) => {
          cancelExpiry();
          await Promise.all(writes);
          await usage
            .endRun(runId)
            .catch((error: unknown) =>
              logger.error({ err: error, runId }, 'freeing the run slot failed'),
            );
          active.delete(agent.id);
          const limited = outcome.state === 'error' && isLimitCode(outcome.code);
          if (limited && !refusedHere && outcome.state === 'error') {
            metrics.limitRefusals.inc({ code: outcome.code, limit: 'provider' });
          }
          finish(agent, runId, outcome);
          logger.info(
            {
              agentId: agent.id,
              runId,
              outcome: outcome.state,
              ...(outcome.state === 'error' ? { code: outcome.code, detail: outcome.detail } : {}),
            },
            'agent run finished',
          );
        });
      active.set(agent.id, { runId, controller, done });
      logger.info({ agentId: agent.id, runId, uid }, 'agent run started');
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

const isLimitCode = (code: string) => code === 'ERR_RATE_LIMITED' || code === 'ERR_BUDGET_EXCEEDED';
