import type { Agent, AgentSettings, Step, UpdateSettingsRequest } from '@agentauth/agent-api';

/** What a new agent needs; the store assigns the id and timestamps. */
export interface NewAgent {
  readonly name: string;
  readonly modelType: string;
  readonly ownerUid: number;
  readonly settings: AgentSettings;
}

/** What both stores take: tests fix the clock and the ids. */
export interface StoreOptions {
  /** Clock in milliseconds; default `Date.now` (agent timestamps). */
  readonly clock?: () => number;
  /** Id generator; default `crypto.randomUUID`. */
  readonly randomId?: () => string;
}

/**
 * Where agents, their settings and their step history live. Every write is atomic. Two
 * implementations with the same semantics (one shared test suite runs against both):
 * `openSqliteStore` (one process, the default) and `openPostgresStore` (several replicas).
 * Every method is asynchronous; a database that cannot be reached rejects with a
 * StoreUnavailableError (the HTTP layer answers 503).
 */
export interface AgentStore {
  /** Every agent, oldest first (creation time, then id). */
  listAgents(): Promise<Agent[]>;
  getAgent(id: string): Promise<Agent | undefined>;
  createAgent(agent: NewAgent): Promise<Agent>;
  /** True when the agent existed (its history goes with it). */
  deleteAgent(id: string): Promise<boolean>;
  /** The merged settings, or undefined for an unknown agent. */
  updateSettings(id: string, patch: UpdateSettingsRequest): Promise<AgentSettings | undefined>;
  /** Appends completed steps in one transaction; false when the agent no longer exists. */
  appendSteps(agentId: string, steps: readonly Step[]): Promise<boolean>;
  /** The newest `limit` steps, oldest first. */
  listSteps(agentId: string, limit: number): Promise<Step[]>;
  close(): Promise<void>;
}

/** The store cannot be opened: the message is one sentence an operator can act on. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** The database went away after start-up; requests fail with 503 until it is back. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
