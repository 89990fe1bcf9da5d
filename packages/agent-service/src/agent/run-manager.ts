import {
  type Agent,
  PROTOCOL_VERSION,
  type ServerEvent,
  SNAPSHOT_MAX_STEPS,
  type Step,
} from '@agentauth/agent-api';
import type { SessionUser } from '@agentauth/auth-core';
import { onTokenExpiry } from '@agentauth/auth-core/ws';
import type { Logger } from 'pino';
import type { ChatUsage, LlmClient } from '../llm/llm-client.js';
import type { ServiceMetrics } from '../metrics.js';
import type { AgentAccessPolicy } from '../policy/agent-access.js';
import { INTERRUPTED_MESSAGE } from '../runs/interrupted.js';
import type {
  PartialText,
  RemoteSignal,
  RunCoordinator,
  RunEnd,
  RunStatus,
} from '../runs/run-coordinator.js';
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
  /** Whose socket this is, on which agent: events go only to users the policy lets read it. */
  readonly user: SessionUser;
  readonly agent: Agent;
  /** A step, status or error event of the agent's runs. */
  event(event: ServerEvent): void;
  /** The text the running turn has streamed so far (the socket sends only what is new to it). */
  partial(partial: PartialText): void;
  /** The agent was deleted. */
  deleted(): void;
  /** This replica is shutting down: the socket should reconnect (to another replica). */
  restart(): void;
}

interface ActiveRun {
  readonly runId: string;
  readonly controller: AbortController;
  done: Promise<void>;
  partial: PartialText | undefined;
  /** Cut short by a shutdown past its grace period (recorded as interrupted). */
  interrupted: boolean;
  /** The lease went to someone else: record nothing more. */
  lost: boolean;
}

export interface RunManagerDeps {
  readonly store: AgentStore;
  readonly llm: LlmClient;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly metrics: ServiceMetrics;
  readonly coordinator: RunCoordinator;
  /** Longest wait before streamed text reaches the database and the other replicas (ms). */
  readonly streamFlushMs?: number;
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
  | { readonly started: false; readonly reason: 'busy' | 'draining' }
  | ({ readonly started: false; readonly reason: 'limit' } & Extract<
      Admission,
      { admitted: false }
    >);

const isLimitCode = (code: string) => code === 'ERR_RATE_LIMITED' || code === 'ERR_BUDGET_EXCEEDED';

/**
 * Owns the runs this replica executes: at most one run per agent (the coordinator's lease, across
 * replicas), stop from any replica, fan-out of events to every socket of the agent (local runs
 * directly, other replicas' runs through the coordinator), and a drain for rolling updates. A run
 * never outlives the token that started it: it is aborted when that token expires.
 * @example
 * const runs = createRunManager({ store, llm, logger, clock, metrics, coordinator: createLocalRuns() });
 * const started = await runs.start(agent, 'What is 6*7?', auth.exp);
 */
export function createRunManager(deps: RunManagerDeps) {
  const { store, llm, logger, clock, metrics, coordinator, policy, usage, limits } = deps;
  const flushMs = deps.streamFlushMs ?? 25;
  const active = new Map<string, ActiveRun>();
  const claiming = new Set<string>();
  const listeners = new Map<string, Set<AgentListener>>();
  let draining = false;

  const each = (agentId: string, fn: (l: AgentListener) => void) => {
    for (const listener of [...(listeners.get(agentId) ?? [])]) fn(listener);
  };
  // The policy is asked again for every event, so a socket never hears an agent its user may not read.
  const readable = (l: AgentListener) => policy.mayAccess(l.user, l.agent, 'read');
  const broadcast = (agentId: string, event: ServerEvent) =>
    each(agentId, (l) => {
      if (readable(l)) l.event(event);
    });
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, what);

  coordinator.listen({
    wants: (agentId) => listeners.has(agentId),
    signal(signal: RemoteSignal) {
      switch (signal.type) {
        case 'event':
          return broadcast(signal.agentId, signal.event);
        case 'partial':
          return each(signal.agentId, (l) => {
            if (readable(l)) l.partial(signal.partial);
          });
        case 'stop':
          return active.get(signal.agentId)?.controller.abort();
        case 'deleted':
          active.get(signal.agentId)?.controller.abort();
          return each(signal.agentId, (l) => l.deleted());
        case 'resync':
          // Reconnecting sockets get a fresh snapshot: nothing missed stays missing on screen.
          for (const agentId of [...listeners.keys()]) each(agentId, (l) => l.restart());
          return;
      }
    },
  });

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

  const execute = async (agent: Agent, run: ActiveRun, prompt: string, auth: RunAuth) => {
    const { runId, controller } = run;
    const uid = auth.user.uid;
    const cancelExpiry = onTokenExpiry(auth.exp, () => controller.abort(), clock);
    const writes: Promise<unknown>[] = [];
    let refusedHere = false;
    // Steps are persisted, broadcast and announced one after another, in the loop's order.
    let chain = Promise.resolve();
    const later = (work: () => Promise<void> | void) => {
      chain = chain.then(work).catch((error: unknown) => {
        logger.error({ err: error, agentId: agent.id, runId }, 'recording a step failed');
        controller.abort();
      });
    };
    const record = (step: Step) =>
      later(async () => {
        if (run.lost) return;
        if (!(await store.appendSteps(agent.id, [step]))) return controller.abort();
        broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'step', step });
        await coordinator.announce(agent.id, { kind: 'step', runId, seq: step.seq });
      });

    let flushing = false;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = async () => {
      flushTimer = undefined;
      if (flushing) return;
      flushing = true;
      try {
        const result = await coordinator.renew(agent.id, runId, run.partial);
        if (result === 'lost') {
          run.lost = true;
          controller.abort();
        } else if (result === 'stop') {
          controller.abort();
        }
      } catch (error) {
        warn('renewing a run lease failed')(error);
      } finally {
        flushing = false;
      }
    };
    const renewal = setInterval(flush, Math.max(50, Math.floor(coordinator.leaseMs / 3)));
    renewal.unref();

    let nextSeq = 0;
    let outcome: RunOutcome;
    try {
      const history = conversationFrom(await store.listSteps(agent.id, SNAPSHOT_MAX_STEPS));
      outcome = await runReact({
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
        onDelta: (delta) => {
          const prev = run.partial;
          const text = prev && prev.seq === delta.seq ? prev.text + delta.delta : delta.delta;
          const partial = { runId, seq: delta.seq, text };
          run.partial = partial;
          later(() =>
            each(agent.id, (l) => {
              if (readable(l)) l.partial(partial);
            }),
          );
          flushTimer ??= setTimeout(flush, flushMs);
        },
        onStep: (step) => {
          if (run.partial?.seq === step.seq) run.partial = undefined;
          nextSeq = step.seq + 1;
          record(step);
        },
      });
    } catch (error) {
      logger.error({ err: error, agentId: agent.id, runId }, 'agent run failed');
      outcome = { state: 'error', code: 'ERR_INTERNAL', message: 'The run failed unexpectedly.' };
    }
    cancelExpiry();
    clearInterval(renewal);
    clearTimeout(flushTimer);
    await chain;
    await Promise.all(writes);
    await usage.endRun(runId).catch(warn('freeing the run slot failed'));
    if (outcome.state === 'error' && isLimitCode(outcome.code) && !refusedHere) {
      metrics.limitRefusals.inc({ code: outcome.code, limit: 'provider' });
    }
    let end: RunEnd = outcome;
    const retryAfterMs = outcome.state === 'error' ? outcome.retryAfterMs : undefined;
    const detail = outcome.state === 'error' ? outcome.detail : undefined;
    if (run.interrupted && outcome.state === 'stopped') {
      end = { state: 'error', code: 'ERR_RUN_INTERRUPTED', message: INTERRUPTED_MESSAGE };
      const at = new Date(clock()).toISOString();
      record({ kind: 'error', runId, seq: nextSeq, at, code: end.code, message: end.message });
      await chain;
    }
    if (!run.lost)
      await coordinator.release(agent.id, runId, end).catch(warn('ending a run failed'));
    active.delete(agent.id);
    metrics.runs.inc({ outcome: end.state === 'error' ? end.code : end.state });
    if (end.state === 'error') {
      broadcast(agent.id, {
        v: PROTOCOL_VERSION,
        type: 'error',
        code: end.code,
        message: end.message,
        runId,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'status', state: end.state, runId });
    if (!run.lost) {
      await coordinator
        .announce(agent.id, { kind: 'status', runId })
        .catch(warn('announcing a run end failed'));
    }
    logger.info(
      {
        agentId: agent.id,
        runId,
        outcome: end.state,
        ...(end.state === 'error' ? { code: end.code, detail } : {}),
      },
      'agent run finished',
    );
  };

  return {
    /** Where the agent's run stands on any replica, with the streaming text of a running one. */
    async status(agentId: string): Promise<RunStatus> {
      const run = active.get(agentId);
      if (run)
        return run.partial ? { state: 'running', partial: run.partial } : { state: 'running' };
      return coordinator.status(agentId);
    },

    /** The agents with a run on this replica or a live one on any other, in one look. */
    async runningAgents(): Promise<ReadonlySet<string>> {
      const elsewhere = await coordinator.runningAgents();
      return new Set([...active.keys(), ...elsewhere]);
    },

    /**
     * Starts a run unless one is active for the agent on any replica, this replica is draining, or
     * a per-user limit refuses it (the usage store admits atomically across replicas). The token's
     * expiry bounds its life.
     * @example await runs.start(agent, text, { user, exp }) // { started: true, runId } | { started: false, reason }
     */
    async start(agent: Agent, prompt: string, auth: RunAuth): Promise<StartResult> {
      if (draining) return { started: false, reason: 'draining' };
      if (active.has(agent.id) || claiming.has(agent.id)) return { started: false, reason: 'busy' };
      const runId = crypto.randomUUID();
      const uid = auth.user.uid;
      claiming.add(agent.id);
      let claimed: boolean;
      try {
        const admission = await usage.admitRun(
          { uid, runId, agentId: agent.id, now: clock(), leaseMs: deps.leaseMs },
          limits,
        );
        if (!admission.admitted) {
          metrics.limitRefusals.inc({ code: admission.code, limit: admission.limit });
          logger.info(
            { agentId: agent.id, uid, code: admission.code, limit: admission.limit },
            'run refused',
          );
          return { started: false, reason: 'limit', ...admission };
        }
        claimed = await coordinator.claim(agent.id, runId);
        if (!claimed) await usage.endRun(runId);
      } finally {
        claiming.delete(agent.id);
      }
      if (!claimed) return { started: false, reason: 'busy' };
      const run: ActiveRun = {
        runId,
        controller: new AbortController(),
        done: Promise.resolve(),
        partial: undefined,
        interrupted: false,
        lost: false,
      };
      active.set(agent.id, run);
      broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'status', state: 'running', runId });
      coordinator
        .announce(agent.id, { kind: 'status', runId })
        .catch(warn('announcing a run failed'));
      logger.info({ agentId: agent.id, runId }, 'agent run started');
      run.done = execute(agent, run, prompt, auth);
      return { started: true, runId };
    },

    /** Interrupts the agent's run, here or on another replica; false when none was running. */
    async stop(agentId: string): Promise<boolean> {
      const run = active.get(agentId);
      if (run) {
        run.controller.abort();
        return true;
      }
      return coordinator.requestStop(agentId);
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

    /** The agent is gone: stop its run, tell its sockets here and on the other replicas. */
    async deleted(agentId: string): Promise<void> {
      active.get(agentId)?.controller.abort();
      each(agentId, (l) => l.deleted());
      await coordinator.announceDeleted(agentId).catch(warn('announcing a deletion failed'));
    },

    /**
     * Rolling-update drain: takes no new run, lets the running ones finish for up to `graceMs`,
     * then interrupts the rest (recorded as interrupted, with their partial text) and waits for
     * them to be recorded.
     */
    async drain(graceMs: number): Promise<{ finished: number; interrupted: number }> {
      draining = true;
      // Sockets of agents that run nothing here move now; the others when their run is recorded.
      for (const agentId of [...listeners.keys()]) {
        if (!active.has(agentId)) each(agentId, (l) => l.restart());
      }
      const runs = [...active.values()];
      for (const [agentId, run] of active) {
        run.done = run.done.then(() => each(agentId, (l) => l.restart()));
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all(runs.map((r) => r.done)), graceOver]);
      clearTimeout(timer);
      const left = [...active.values()];
      for (const run of left) {
        run.interrupted = true;
        run.controller.abort();
      }
      await Promise.all(left.map((r) => r.done));
      return { finished: runs.length - left.length, interrupted: left.length };
    },

    /** Aborts every run (recorded as stopped) and waits for them to record their end. */
    async shutdown(): Promise<void> {
      draining = true;
      const runs = [...active.values()];
      for (const run of runs) run.controller.abort();
      await Promise.all(runs.map((run) => run.done));
    },

    get draining(): boolean {
      return draining;
    },

    /** Number of runs this replica executes. */
    get activeCount(): number {
      return active.size;
    },
  };
}

export type RunManager = ReturnType<typeof createRunManager>;
