import { z } from 'zod';
import { SUITES } from './options.js';

/** Bumped when the shape of the result file changes. */
export const RESULT_SCHEMA = 'agentauth-bench/3';

const Ratio = z.number().nonnegative();

/** One in-process verification figure. */
export const VerificationRow = z.object({
  id: z.string(),
  name: z.string(),
  /** Distinct tokens the run rotated through. */
  users: z.number().int().positive(),
  /** Verifications started together and awaited as one batch (1 = one at a time). */
  inFlight: z.number().int().positive().default(1),
  /** Median over the runs. */
  opsPerSec: z.number().positive(),
  runs: z.array(z.number().positive()).min(1),
  vsRawHmac: Ratio,
});

/**
 * On-CPU microseconds per request (or handshake) by process group: `client` (the load generator),
 * `nginx` (workers), `acs`, `agent`, `hello` (the baseline servers). Empty without Linux /proc.
 */
const CpuPerOp = z.record(z.string(), z.number().nonnegative());

const HttpRun = z.object({
  rps: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  cpuUsPerRequest: CpuPerOp,
});

/** One HTTP figure: a target at one connection count with one or many users. */
export const HttpRow = z.object({
  suite: z.enum(['decision', 'gateway', 'service', 'replicas']),
  id: z.string(),
  name: z.string(),
  connections: z.number().int().positive(),
  users: z.number().int().positive(),
  /** Medians over the runs (each figure its own median). */
  rps: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  runs: z.array(HttpRun).min(1),
  /** Median over the runs, per process group. */
  cpuUsPerRequest: CpuPerOp,
  /** Throughput ratio to each baseline row of the same table, connections and users. */
  vs: z.record(z.string(), Ratio),
  /** p50 minus the primary baseline's p50 (ms), for rows that have one. */
  addedP50Ms: z.number().nullable(),
});

/** WebSocket handshakes per second (upgrade → 101 → first server message → close). */
export const HandshakeRow = z.object({
  id: z.string(),
  name: z.string(),
  concurrency: z.number().int().positive(),
  users: z.number().int().positive(),
  perSec: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  runs: z
    .array(
      z.object({
        perSec: z.number().nonnegative(),
        p50Ms: z.number(),
        cpuUsPerHandshake: CpuPerOp,
      }),
    )
    .min(1),
  cpuUsPerHandshake: CpuPerOp,
  vs: z.record(z.string(), Ratio),
});

export const SocketMemory = z.object({
  sockets: z.number().int().positive(),
  /** JS heap growth per open authenticated socket, in the agent-service, after GC. */
  heapBytesPerSocket: z.number(),
  /** Memory outside the JS heap (buffers) per socket, after GC. */
  externalBytesPerSocket: z.number(),
  /** Resident set growth per socket: includes allocator slack, so it moves more than the rest. */
  rssBytesPerSocket: z.number(),
});

/**
 * One user with 20 agents prompting in parallel while a second user chats (the `quota` suite):
 * the first user's LLM calls/s against what `USER_MAX_CONCURRENT_RUNS` allows, and the second
 * user's median time to first streamed token, loaded against idle.
 */
export const QuotaResult = z.object({
  agents: z.number().int().positive(),
  concurrentRunsLimit: z.number().int().positive(),
  windowSeconds: z.number().positive(),
  /** One run (one LLM call) of the noisy user's prompt on an idle service. */
  idleCallMs: z.number().positive(),
  /** The limit as calls/s: concurrent runs over the idle call time. */
  limitCallsPerSec: z.number().positive(),
  noisyCallsPerSec: z.number().nonnegative(),
  noisyVsLimit: Ratio,
  /** `ERR_RATE_LIMITED` error events the noisy user got (it retries after 100 ms). */
  refusals: z.number().int().nonnegative(),
  idleTtftMs: z.number().positive(),
  loadedTtftMs: z.number().positive(),
  ttftLoadedVsIdle: Ratio,
  samples: z.object({ idle: z.number().int().positive(), loaded: z.number().int().positive() }),
});

/** From the replica running a run to a socket on another replica (PostgreSQL NOTIFY path). */
export const EventLatency = z.object({
  runs: z.number().int().positive(),
  /** Completed steps and status events seen on both sockets. */
  events: z.number().int().nonnegative(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  /** The first streamed text of each model turn (batched for other replicas). */
  deltas: z.number().int().nonnegative(),
  deltaP50Ms: z.number(),
  deltaP99Ms: z.number(),
});
export const TargetRow = z.object({
  id: z.string(),
  description: z.string(),
  comparison: z.enum(['>=', '<=']),
  threshold: z.number(),
  /** Null when the suites it needs did not run. */
  value: z.number().nullable(),
  met: z.boolean().nullable(),
  /** Which rows the value comes from. */
  basis: z.string(),
});

export const MachineFacts = z.object({
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  memoryBytes: z.number().int().positive(),
  os: z.string(),
  node: z.string(),
  nginx: z.string(),
  autocannon: z.string(),
  /** Where the nginx prefixes (and the auth cache files) live, with its filesystem type. */
  tmpFilesystem: z.string(),
  gitCommit: z.string(),
  /** Uncommitted changes in the working tree when the run started. */
  gitDirty: z.boolean(),
  /** 1/5/15-minute load averages before and after the run: other work on the machine. */
  loadAverageStart: z.array(z.number()).length(3),
  loadAverageEnd: z.array(z.number()).length(3),
});

/** WebSocket abuse on a full-history agent (issue 13): reconnect storm and non-reading sockets. */
export const AbuseResult = z.object({
  healthIdleP50Ms: z.number().positive(),
  healthStormP50Ms: z.number().positive(),
  stormVsIdle: z.number().positive(),
  stormSeconds: z.number().positive(),
  stormUpgrades: z.number().int().nonnegative(),
  stormBytesPerSecond: z.number().int().nonnegative(),
  /** The largest first frame (snapshot) one upgrade delivered. */
  largestUpgradeBytes: z.number().int().nonnegative(),
  /** The same storm from one user against an agent-service with the default per-user caps. */
  oneUserIdleP50Ms: z.number().positive(),
  oneUserStormP50Ms: z.number().positive(),
  oneUserStormVsIdle: z.number().positive(),
  oneUserUpgrades: z.number().int().nonnegative(),
  oneUserRefused: z.number().int().nonnegative(),
  idleSockets: z.number().int().positive(),
  idleRssBytesPerSocket: z.number().int(),
  idleHeapBytesPerSocket: z.number().int(),
  idleExternalBytesPerSocket: z.number().int(),
});

/** The result file (`bench-results/latest.json`). */
export const BenchResult = z.object({
  schema: z.literal(RESULT_SCHEMA),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  wallSeconds: z.number().positive(),
  settings: z.object({
    mode: z.enum(['full', 'quick']),
    seconds: z.number().int().positive(),
    runs: z.number().int().positive(),
    warmupSeconds: z.number().int().nonnegative(),
    connections: z.array(z.number().int().positive()).min(1),
    users: z.number().int().positive(),
    sockets: z.number().int().positive(),
    verifyMs: z.number().int().positive(),
    quotaSeconds: z.number().int().positive().optional(),
    quotaSamples: z.number().int().positive().optional(),
    suites: z.array(z.enum(SUITES)),
    nginxAuthCacheSeconds: z.number().int().positive(),
    tokenCacheSize: z.number().int().positive(),
  }),
  machine: MachineFacts,
  method: z.array(z.string()).min(1),
  verification: z.array(VerificationRow),
  http: z.array(HttpRow),
  handshakes: z.array(HandshakeRow),
  socketMemory: SocketMemory.nullable(),
  abuse: AbuseResult.nullable(),
  /** Null when the quota suite did not run (and in result files from before it existed). */
  quota: QuotaResult.nullable().default(null),
  /** The `replicas` suite's cross-replica event latency; null when it did not run. */
  eventLatency: EventLatency.nullable(),
  targets: z.array(TargetRow),
});

export type VerificationRow = z.infer<typeof VerificationRow>;
export type HttpRow = z.infer<typeof HttpRow>;
export type HandshakeRow = z.infer<typeof HandshakeRow>;
export type SocketMemory = z.infer<typeof SocketMemory>;
export type AbuseResult = z.infer<typeof AbuseResult>;
export type EventLatency = z.infer<typeof EventLatency>;
export type TargetRow = z.infer<typeof TargetRow>;
export type QuotaResult = z.infer<typeof QuotaResult>;
export type MachineFacts = z.infer<typeof MachineFacts>;
export type BenchResult = z.infer<typeof BenchResult>;
