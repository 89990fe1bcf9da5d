import {
  type Agent,
  PROTOCOL_VERSION,
  type RunState,
  SNAPSHOT_MAX_STEPS,
} from '@agentauth/agent-api';
import type { AgentStore } from '../store/agent-store.js';

/** Builds snapshot frames; see {@link createSnapshotFrames}. */
export interface SnapshotFrames {
  /** The snapshot event for `agent` as JSON text, ready for `ws.send`. */
  frame(agent: Agent, status: RunState): Promise<Buffer>;
}

/** Agents whose serialised snapshot steps are kept (each at most the byte budget). */
const KEPT_AGENTS = 64;

/**
 * Snapshot frames whose steps part (the newest steps within `maxBytes`, and the `older` cursor) is
 * read and serialised once per version of an agent's history and reused by every upgrade until a
 * step is added: a reconnect storm then costs a copy per upgrade, not a query, a parse and a
 * stringify of up to the whole budget. The version is the newest step id read from the store
 * (the database, with several replicas), so a step appended by any replica invalidates the entry;
 * it is read before the page, so a step landing in between only costs one more read later.
 * @example const frames = createSnapshotFrames(store, 262_144); ws.send(frames.frame(agent, 'idle'), { binary: false })
 */
export function createSnapshotFrames(store: AgentStore, maxBytes: number): SnapshotFrames {
  const kept = new Map<string, { version: number; steps: Buffer; tail: Buffer }>();
  const stepsOf = async (agentId: string) => {
    const version = await store.latestStepId(agentId);
    const hit = kept.get(agentId);
    if (hit && hit.version === version) return hit;
    const page = await store.pageSteps(agentId, {
      limit: SNAPSHOT_MAX_STEPS,
      maxBytes,
      atLeastOne: false,
    });
    const entry = {
      version,
      steps: Buffer.from(JSON.stringify(page.steps)),
      tail: Buffer.from(page.older ? `,"older":${JSON.stringify(page.older)}}` : '}'),
    };
    kept.delete(agentId);
    kept.set(agentId, entry);
    if (kept.size > KEPT_AGENTS) kept.delete(kept.keys().next().value as string);
    return entry;
  };
  return {
    async frame(agent, status) {
      const { steps, tail } = await stepsOf(agent.id);
      const head = Buffer.from(
        `{"v":${PROTOCOL_VERSION},"type":"snapshot","agent":${JSON.stringify(agent)},"status":${JSON.stringify(status)},"steps":`,
      );
      return Buffer.concat([head, steps, tail]);
    },
  };
}
