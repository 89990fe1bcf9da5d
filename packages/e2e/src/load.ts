import autocannon from 'autocannon';

/** One kind of request in a mixed load, and the status it must always get. */
export interface LoadClass {
  readonly name: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expected: number;
}

/** How one class fared: responses by status. */
export type Tally = Record<string, Record<number, number>>;

export interface LoadRun {
  readonly tally: Tally;
  readonly requests: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly rps: number;
  readonly latencyP99Ms: number;
}

/**
 * Runs autocannon against `origin` for `seconds`, cycling through `classes` on every connection,
 * and counts every response by class and status (never sampled).
 * @example const run = await mixedLoad(origin, classes, { seconds: 6, connections: 16 })
 */
export async function mixedLoad(
  origin: string,
  classes: readonly LoadClass[],
  options: { readonly seconds: number; readonly connections: number },
): Promise<LoadRun> {
  const tally: Tally = Object.fromEntries(classes.map((c) => [c.name, {}]));
  const result = await autocannon({
    url: origin,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: classes.map((c) => ({
      method: 'GET' as const,
      path: c.path,
      headers: { ...c.headers },
      onResponse: (status: number) => {
        const byStatus = tally[c.name] as Record<number, number>;
        byStatus[status] = (byStatus[status] ?? 0) + 1;
      },
    })),
  });
  return {
    tally,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    rps: result.requests.average,
    latencyP99Ms: result.latency.p99,
  };
}

/**
 * Adds up the responses that did not get their class's expected status.
 * @example unexpected(run.tally, classes) // [] when every answer was as documented
 */
export function unexpected(tally: Tally, classes: readonly LoadClass[]): string[] {
  const out: string[] = [];
  for (const c of classes) {
    for (const [status, count] of Object.entries(tally[c.name] ?? {})) {
      if (Number(status) !== c.expected) out.push(`${c.name}: ${count} × ${status}`);
    }
  }
  return out;
}
