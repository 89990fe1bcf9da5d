import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The parts of a run, in the order they run. */
export const SUITES = [
  'verification',
  'decision',
  'gateway',
  'service',
  'websocket',
  'quota',
  'replicas',
] as const;
export type SuiteName = (typeof SUITES)[number];

/** How long and how wide a run is; recorded in the result file. */
export interface BenchSettings {
  readonly mode: 'full' | 'quick';
  /** Seconds of load per HTTP or WebSocket run. */
  readonly seconds: number;
  /** Runs per figure (interleaved across the targets of a table); the median is reported. */
  readonly runs: number;
  /** Seconds of warm-up load per target and connection count before its runs (0 = none). */
  readonly warmupSeconds: number;
  /** Concurrent connections (HTTP) or concurrent handshakes (WebSocket) to scale over. */
  readonly connections: readonly number[];
  /** Distinct users (pre-signed tokens) of the "many users" rows. */
  readonly users: number;
  /** Authenticated WebSockets held open to measure memory per socket. */
  readonly sockets: number;
  /** Milliseconds per in-process verification run. */
  readonly verifyMs: number;
  /** Seconds of the quota suite's loaded window, and its time-to-first-token samples. */
  readonly quotaSeconds: number;
  readonly quotaSamples: number;
  readonly suites: readonly SuiteName[];
  /** Where the result file goes (a timestamped copy is written beside it). */
  readonly out: string;
  /** Run the services with `--cpu-prof`, profiles under `<out dir>/profiles/`. */
  readonly profile: boolean;
}

/** Bad command line, in one sentence. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const USAGE = `usage: pnpm bench [--quick] [--seconds n] [--runs n] [--warmup n]
                  [--connections 1,4,16] [--users n] [--sockets n] [--only suite,…]
                  [--out file] [--profile]
suites: ${SUITES.join(', ')}`;

// About six minutes on two cores: 5 runs × 1 s per figure (a median of five shrugs off a burst of
// other work on a shared machine better than a median of three longer runs), 1 s of warm-up per
// target and connection count.
const FULL = {
  seconds: 1,
  runs: 5,
  warmupSeconds: 1,
  connections: [1, 4, 16],
  users: 10_000,
  sockets: 1_000,
  verifyMs: 800,
  quotaSeconds: 10,
  quotaSamples: 15,
} as const;

// Enough to prove every part runs and the result file is complete; the figures mean little.
const QUICK = {
  seconds: 1,
  runs: 1,
  warmupSeconds: 0,
  connections: [1, 16],
  users: 1_000,
  sockets: 100,
  verifyMs: 150,
  quotaSeconds: 2,
  quotaSamples: 3,
} as const;

/**
 * Reads the command line: `--quick` picks the short preset; any explicit option overrides it.
 * @example parseBenchArgs(['--quick', '--only', 'decision'], '/repo')
 */
export function parseBenchArgs(argv: readonly string[], repoRoot: string): BenchSettings {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  const preset = values.quick ? QUICK : FULL;
  const int = (name: string, value: string | undefined, fallback: number, min: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new BenchUsageError(`--${name} must be a whole number of at least ${min}.`);
    }
    return n;
  };
  const connections =
    values.connections === undefined
      ? preset.connections
      : values.connections.split(',').map((v) => int('connections', v.trim(), 0, 1));
  const suites = values.only === undefined ? SUITES : values.only.split(',').map(suiteName);
  return {
    mode: values.quick ? 'quick' : 'full',
    seconds: int('seconds', values.seconds, preset.seconds, 1),
    runs: int('runs', values.runs, preset.runs, 1),
    warmupSeconds: int('warmup', values.warmup, preset.warmupSeconds, 0),
    connections,
    users: int('users', values.users, preset.users, 2),
    sockets: int('sockets', values.sockets, preset.sockets, 1),
    verifyMs: preset.verifyMs,
    quotaSeconds: preset.quotaSeconds,
    quotaSamples: preset.quotaSamples,
    suites: SUITES.filter((s) => suites.includes(s)),
    out: values.out ?? join(repoRoot, 'bench-results', 'latest.json'),
    profile: values.profile ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' },
      seconds: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      users: { type: 'string' },
      sockets: { type: 'string' },
      only: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'boolean' },
    },
  });
}

function suiteName(value: string): SuiteName {
  const name = value.trim() as SuiteName;
  if (!SUITES.includes(name)) {
    throw new BenchUsageError(`--only takes ${SUITES.join(', ')}; "${value}" is none of them.`);
  }
  return name;
}
