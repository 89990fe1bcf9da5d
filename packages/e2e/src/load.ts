import autocannon from 'autocannon';

/** One kind of request in a mixed load, and the status it must always get. */
/** Requests per connection after which the load generator reconnects (see mixedLoad). */
export const RECONNECT_EVERY = 500;

export interface LoadClass {
  readonly name: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly expected: number;
  /** Other statuses this class may also get (e.g. the gateway's 429 for credential-less floods). */
  readonly alsoAllowed?: readonly number[];
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
 * Runs one autocannon instance per class against `origin`, all at once for `seconds`, so valid
 * and invalid requests interleave at nginx and at both services, and counts every response by
 * class and status (never sampled).
 *
 * Why not one `requests` array cycled on each connection: nginx closes a keep-alive connection
 * after 1000 requests, and autocannon then attributes later responses to the wrong entry of the
 * array (it keeps the request written to the closing socket in its queue). One class per
 * connection makes every count exact.
 * @example const run = await mixedLoad(origin, classes, { seconds: 6, connectionsPerClass: 2 })
 */
export async function mixedLoad(
  origin: string,
  classes: readonly LoadClass[],
  options: { readonly seconds: number; readonly connectionsPerClass: number },
): Promise<LoadRun> {
  const tally: Tally = Object.fromEntries(classes.map((c) => [c.name, {}]));
  const results = await Promise.all(
    classes.map((c) => {
      const byStatus = tally[c.name] as Record<number, number>;
      return new Promise<autocannon.Result>((resolve, reject) => {
        const instance = autocannon(
          {
            url: `${origin}${c.path}`,
            headers: { ...c.headers },
            connections: options.connectionsPerClass,
            duration: options.seconds,
            timeout: 10,
            // Reconnect after a complete response, before nginx's keepalive_requests (1000) closes
            // the connection under a request already written (a client-side reset, not an answer).
            reconnectRate: RECONNECT_EVERY,
          },
          (error: unknown, result) => (error ? reject(error) : resolve(result)),
        );
        instance.on('response', (_client, status) => {
          byStatus[status] = (byStatus[status] ?? 0) + 1;
        });
      });
    }),
  );
  const sum = (pick: (r: (typeof results)[number]) => number) =>
    results.reduce((n, r) => n + pick(r), 0);
  return {
    tally,
    requests: sum((r) => r.requests.total),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    rps: sum((r) => r.requests.average),
    latencyP99Ms: Math.max(...results.map((r) => r.latency.p99)),
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
      if (Number(status) !== c.expected && !c.alsoAllowed?.includes(Number(status)))
        out.push(`${c.name}: ${count} × ${status}`);
    }
  }
  return out;
}
