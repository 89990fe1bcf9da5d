import type { Agent, AgentSettings, Step, UpdateSettingsRequest } from '@agentauth/agent-api';

/** What a new agent needs; the store assigns the id and timestamps. */
export interface NewAgent {
  readonly name: string;
  readonly modelType: string;
  readonly ownerUid: number;
  readonly settings: AgentSettings;
}

/**
 * Where agents, their settings and their step history live. Every write is atomic.
 * The SQLite implementation is `openSqliteStore`; tests may pass any implementation to `createApp`.
 */
export interface AgentStore {
  listAgents(): Agent[];
  getAgent(id: string): Agent | undefined;
  createAgent(agent: NewAgent): Agent;
  /** True when the agent existed (its history goes with it). */
  deleteAgent(id: string): boolean;
  /** The merged settings, or undefined for an unknown agent. */
  updateSettings(id: string, patch: UpdateSettingsRequest): AgentSettings | undefined;
  /** Appends completed steps in one transaction; false when the agent no longer exists. */
  appendSteps(agentId: string, steps: readonly Step[]): boolean;
  /** The newest `limit` steps, oldest first. */
  listSteps(agentId: string, limit: number): Step[];
  /**
   * A page of history, newest first in the walk but returned oldest first: the steps before
   * `before` (a cursor from an earlier page; else from the newest), at most `limit` of them and
   * no more than `maxBytes` of their JSON. With `atLeastOne`, the newest step of the page is
   * included even when it alone exceeds `maxBytes`. `older` is the cursor of the oldest step
   * returned when older steps remain.
   */
  pageSteps(agentId: string, page: StepPageRequest): StepPage;
  /** The id of the agent's newest step (0 without any): changes whenever its history does. */
  latestStepId(agentId: string): number;
  close(): void;
}

export interface StepPageRequest {
  readonly before?: string | undefined;
  readonly limit: number;
  readonly maxBytes: number;
  readonly atLeastOne: boolean;
}

export interface StepPage {
  readonly steps: Step[];
  readonly older?: string;
}

/** The store cannot be opened: the message is one sentence an operator can act on. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}
