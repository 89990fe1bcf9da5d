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
  /**
   * A page of history, newest first in the walk but returned oldest first: the steps before
   * `before` (a cursor from an earlier page; else from the newest), at most `limit` of them and
   * no more than `maxBytes` of their JSON. With `atLeastOne`, the newest step of the page is
   * included even when it alone exceeds `maxBytes`. `older` is the cursor of the oldest step
   * returned when older steps remain.
   */
  pageSteps(agentId: string, page: StepPageRequest): Promise<StepPage>;
  /**
   * The id of the agent's newest step (0 without any), read from the store itself: it changes
   * whenever any process appends to the agent's history.
   */
  latestStepId(agentId: string): Promise<number>;
  close(): Promise<void>;
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

/**
 * Why opening failed, to quote inside a StoreOpenError sentence: the message without its full stop.
 * @example new StoreOpenError(`${where} cannot be opened: ${reason(error)}.`)
 */
export function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '');
}

/** The database went away after start-up; requests fail with 503 until it is back. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
