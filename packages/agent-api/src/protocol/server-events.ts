import { z } from 'zod';
import { Agent } from '../agent.js';
import { Step, StepCursor, TextDelta } from '../steps.js';
import { PROTOCOL_VERSION } from './version.js';

const v = z.literal(PROTOCOL_VERSION);

/** Where an agent's run stands. `idle` = never ran on this service instance or nothing running. */
export const RUN_STATES = ['idle', 'running', 'stopped', 'error', 'completed'] as const;
export const RunState = z.enum(RUN_STATES);
export type RunState = z.infer<typeof RunState>;

/**
 * Sent once, right after the socket opens: the agent, its current state and its newest history
 * (oldest first) within the service's byte budget (`WS_SNAPSHOT_MAX_BYTES`, at most
 * `SNAPSHOT_MAX_STEPS` steps). `older` is present when older steps exist: the cursor of the
 * oldest step sent, for the paginated steps route.
 */
export const SnapshotEvent = z.object({
  v,
  type: z.literal('snapshot'),
  agent: Agent,
  status: RunState,
  steps: z.array(Step),
  older: StepCursor.optional(),
});
export type SnapshotEvent = z.infer<typeof SnapshotEvent>;

/** Progress of a run: a text delta while the model streams, else a completed step. */
export const StepEvent = z.object({
  v,
  type: z.literal('step'),
  step: z.union([TextDelta, Step]),
});
export type StepEvent = z.infer<typeof StepEvent>;

/**
 * The agent's run state changed: `running` when a prompt starts; `completed`, `stopped` or
 * `error` when it ends (always sent, also after an error). Sent to every socket of the agent.
 */
export const StatusEvent = z.object({
  v,
  type: z.literal('status'),
  state: RunState,
  runId: z.string().optional(),
});
export type StatusEvent = z.infer<typeof StatusEvent>;

/** Error codes an error event can carry. */
export const PROTOCOL_ERROR_CODES = [
  /** Not JSON, not an object, unknown `type`, or invalid fields. */
  'ERR_BAD_FRAME',
  /** `v` is not `PROTOCOL_VERSION`. */
  'ERR_UNSUPPORTED_VERSION',
  /** A prompt arrived while the agent is already running one. */
  'ERR_RUN_IN_PROGRESS',
  /** The session's token has expired: the socket is being closed with 4401. */
  'ERR_TOKEN_EXPIRED',
  /** The agent was deleted. */
  'ERR_NOT_FOUND',
  /** The LLM endpoint failed or answered something unusable. */
  'ERR_LLM_UNAVAILABLE',
  /** The LLM provider refused the service's own credentials: an operator must fix its key. */
  'ERR_LLM_PROVIDER_AUTH',
  /** The agent's model is not (or no longer) served by the provider, or not allowed here. */
  'ERR_MODEL_UNKNOWN',
  /** A per-user limit (concurrent runs, run starts per minute) or the provider's rate limit: see `retryAfterMs`. */
  'ERR_RATE_LIMITED',
  /** The user's daily token budget (or the provider's budget) is used up: see `retryAfterMs`. */
  'ERR_BUDGET_EXCEEDED',
  /** The run used all of the agent's `maxSteps` without a final answer. */
  'ERR_MAX_STEPS',
  /**
   * The run was cut short because the replica running it stopped (a restart past its grace
   * period, or a crash): its partial text is kept in the history.
   */
  'ERR_RUN_INTERRUPTED',
  /** This replica is shutting down and takes no new run: send the prompt again after reconnecting. */
  'ERR_SERVICE_RESTARTING',
  /** Anything else; details are in the service log. */
  'ERR_INTERNAL',
] as const;
export const ProtocolErrorCode = z.enum(PROTOCOL_ERROR_CODES);
export type ProtocolErrorCode = z.infer<typeof ProtocolErrorCode>;

/**
 * Something went wrong: a refused frame, or a failed run (followed by a status event). A refusal
 * that can pass later (`ERR_RATE_LIMITED`, `ERR_BUDGET_EXCEEDED`) says when in `retryAfterMs`.
 */
export const ErrorEvent = z.object({
  v,
  type: z.literal('error'),
  code: ProtocolErrorCode,
  message: z.string(),
  runId: z.string().optional(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorEvent = z.infer<typeof ErrorEvent>;

/**
 * Every event the server sends.
 * @example
 * const event = ServerEvent.parse(JSON.parse(message.data));
 * switch (event.type) { case 'snapshot': ...; case 'step': ...; case 'status': ...; case 'error': ... }
 */
export const ServerEvent = z.discriminatedUnion('type', [
  SnapshotEvent,
  StepEvent,
  StatusEvent,
  ErrorEvent,
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
