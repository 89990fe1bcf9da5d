import type { ProtocolErrorCode, RunState, ServerEvent } from '@agentauth/agent-api';

/** How a run ended, as recorded for the agent. */
export type RunEnd =
  | { readonly state: 'completed' }
  | { readonly state: 'stopped' }
  | { readonly state: 'error'; readonly code: ProtocolErrorCode; readonly message: string };

/** Model text of the turn still streaming (its `seq` is the step it will become). */
export interface PartialText {
  readonly runId: string;
  readonly seq: number;
  readonly text: string;
}

/** Where an agent's run stands, for a snapshot. */
export interface RunStatus {
  readonly state: RunState;
  /** The streaming text of a running run, when it has any. */
  readonly partial?: PartialText;
}

/** What one replica tells the others about a run it holds (ids only; data is in the tables). */
export type RunNote =
  | { readonly kind: 'step'; readonly runId: string; readonly seq: number }
  | { readonly kind: 'status'; readonly runId: string };

/** Something another replica did that this one must act on. */
export type RemoteSignal =
  | { readonly type: 'event'; readonly agentId: string; readonly event: ServerEvent }
  | { readonly type: 'partial'; readonly agentId: string; readonly partial: PartialText }
  | { readonly type: 'stop'; readonly agentId: string }
  | { readonly type: 'deleted'; readonly agentId: string }
  /** Signals may have been missed (the LISTEN connection was lost and is back): resync sockets. */
  | { readonly type: 'resync' };

export interface RemoteListener {
  /** Whether this replica has sockets of the agent (events of others are not read at all). */
  wants(agentId: string): boolean;
  signal(signal: RemoteSignal): void;
}

/** `renew` says whether the run may go on. */
export type RenewResult = 'ok' | 'lost' | 'stop';

/**
 * Where runs are coordinated: one process (`createLocalRuns`, with the SQLite store) or every
 * replica on one PostgreSQL database (`createPostgresRuns`). The run manager is the same on both.
 */
export interface RunCoordinator {
  /** How long a lease lasts without renewal (ms); the run manager renews at a third of it. */
  readonly leaseMs: number;
  /** Takes the agent's run lease for `runId`; false while another live run holds it anywhere. */
  claim(agentId: string, runId: string): Promise<boolean>;
  /**
   * Renews the lease and records the streaming text (kept if this replica dies); tells the other
   * replicas the text moved. `lost` = the lease is gone (expired and taken, agent deleted);
   * `stop` = a stop was asked for on another replica.
   */
  renew(agentId: string, runId: string, partial: PartialText | undefined): Promise<RenewResult>;
  /** Records the run's end and releases the lease. */
  release(agentId: string, runId: string, end: RunEnd): Promise<void>;
  /** The run state of the agent on any replica (`idle` when it never ran). */
  status(agentId: string): Promise<RunStatus>;
  /** The agents with a live run on any replica, in one look (the agent list's running marks). */
  runningAgents(): Promise<ReadonlySet<string>>;
  /** Asks whichever replica runs the agent to stop it; true when a live run was found. */
  requestStop(agentId: string): Promise<boolean>;
  /** Tells the other replicas that a run held here produced a step or ended. */
  announce(agentId: string, note: RunNote): Promise<void>;
  /** Tells the other replicas the agent was deleted. */
  announceDeleted(agentId: string): Promise<void>;
  /** Where signals from other replicas go (one listener). */
  listen(listener: RemoteListener): void;
  /**
   * Resolves once signals from other replicas arrive (PostgreSQL: the LISTEN is in place); a
   * replica should not serve before, or it misses what others announce.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}
