import type { RunState } from '@agentauth/agent-api';
import type { RunCoordinator, RunEnd } from './run-coordinator.js';

/**
 * Run coordination inside one process (the SQLite mode): a lease is an entry in a map, nothing
 * needs announcing, and the last end state lives in memory (a restart shows `idle`).
 * @example const runs = createRunManager({ ..., coordinator: createLocalRuns() })
 */
export function createLocalRuns(): RunCoordinator {
  const running = new Map<string, string>();
  const last = new Map<string, RunState>();
  return {
    leaseMs: 60_000,
    async claim(agentId, runId) {
      if (running.has(agentId)) return false;
      running.set(agentId, runId);
      return true;
    },
    async renew(agentId, runId) {
      return running.get(agentId) === runId ? 'ok' : 'lost';
    },
    async release(agentId, runId, end: RunEnd) {
      if (running.get(agentId) !== runId) return;
      running.delete(agentId);
      last.set(agentId, end.state);
    },
    async status(agentId) {
      return { state: running.has(agentId) ? 'running' : (last.get(agentId) ?? 'idle') };
    },
    async runningAgents() {
      return new Set(running.keys());
    },
    // One process: the run manager already stopped its own run; nobody else holds one.
    requestStop: async () => false,
    announce: async () => {},
    async announceDeleted(agentId) {
      running.delete(agentId);
      last.delete(agentId);
    },
    listen: () => {},
    ready: async () => {},
    close: async () => {},
  };
}
