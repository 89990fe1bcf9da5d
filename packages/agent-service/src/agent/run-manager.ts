import {
  type Agent,
  PROTOCOL_VERSION,
  type ServerEvent,
  SNAPSHOT_MAX_STEPS,
  type Step,
} from '@agentauth/agent-api';
import { onTokenExpiry } from '@agentauth/auth-core/ws';
import type { Logger } from 'pino';
import type { LlmClient } from '../llm/llm-client.js';
import type { ServiceMetrics } from '../metrics.js';
import { INTERRUPTED_MESSAGE } from '../runs/interrupted.js';
import type {
  PartialText,
  RemoteSignal,
  RunCoordinator,
  RunEnd,
  RunStatus,
} from '../runs/run-coordinator.js';
import type { AgentStore } from '../store/agent-store.js';
import { conversationFrom } from './conversation.js';
import { type RunOutcome, runReact } from './react-loop.js';

/** What a socket of an agent hears. */
export interface AgentListener {
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
}

export type StartResult =
  | { readonly started: true; readonly runId: string }
  | { readonly started: false; readonly reason: 'busy' | 'draining' };

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
  const { store, llm, logger, clock, metrics, coordinator } = deps;
  const flushMs = deps.streamFlushMs ?? 25;
  const active = new Map<string, ActiveRun>();
  const claiming = new Set<string>();
  const listeners = new Map<string, Set<AgentListener>>();
  let draining = false;

  const each = (agentId: string, fn: (l: AgentListener) => void) => {
    for (const listener of [...(listeners.get(agentId) ?? [])]) fn(listener);
  };
  const broadcast = (agentId: string, event: ServerEvent) => each(agentId, (l) => l.event(event));
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, what);

  coordinator.listen({
    wants: (agentId) => listeners.has(agentId),
    signal(signal: RemoteSignal) {
      switch (signal.type) {
        case 'event':
          return broadcast(signal.agentId, signal.event);
        case 'partial':
          return each(signal.agentId, (l) => l.partial(signal.partial));
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

  const execute = async (agent: Agent, run: ActiveRun, prompt: string, tokenExp: number) => {
    const { runId, controller } = run;
    const cancelExpiry = onTokenExpiry(tokenExp, () => controller.abort(), clock);
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
        onDelta: (delta) => {
          const prev = run.partial;
          const text = prev && prev.seq === delta.seq ? prev.text + delta.delta : delta.delta;
          const partial = { runId, seq: delta.seq, text };
          run.partial = partial;
          later(() => each(agent.id, (l) => l.partial(partial)));
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
    let end: RunEnd = outcome;
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
      });
    }
    broadcast(agent.id, { v: PROTOCOL_VERSION, type: 'status', state: end.state, runId });
    if (!run.lost) {
      await coordinator
        .announce(agent.id, { kind: 'status', runId })
        .catch(warn('announcing a run end failed'));
    }
    logger.info({ agentId: agent.id, runId, outcome: end.state }, 'agent run finished');
  };

  return {
    /** Where the agent's run stands on any replica, with the streaming text of a running one. */
    async status(agentId: string): Promise<RunStatus> {
      const run = active.get(agentId);
      if (run)
        return run.partial ? { state: 'running', partial: run.partial } : { state: 'running' };
      return coordinator.status(agentId);
    },

    /**
     * Starts a run unless one is active for the agent on any replica, or this replica is draining.
     * `tokenExp` (seconds) bounds its life.
     * @example await runs.start(agent, text, exp) // { started: true, runId } | { started: false, reason }
     */
    async start(agent: Agent, prompt: string, tokenExp: number): Promise<StartResult> {
      if (draining) return { started: false, reason: 'draining' };
      if (active.has(agent.id) || claiming.has(agent.id)) return { started: false, reason: 'busy' };
      const runId = crypto.randomUUID();
      claiming.add(agent.id);
      let claimed: boolean;
      try {
        claimed = await coordinator.claim(agent.id, runId);
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
      run.done = execute(agent, run, prompt, tokenExp);
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
