import autocannon from 'autocannon';
import { createLatencyRecorder } from './latency-recorder.js';
import type { TokenRotation } from './token-rotation.js';

/** One HTTP request, built per token. */
export interface HttpRequestSpec {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Something to load: an origin, the tokens to rotate through, and how a request carries one. */
export interface HttpTarget {
  /** Row label, e.g. `authorize, Envoy shape`. */
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The tokens requests carry, one user's or many users' (each request the next token). */
  readonly tokens: TokenRotation;
  /** Builds the request for one token (baselines simply ignore it). */
  readonly request: (token: string) => HttpRequestSpec;
  /** Status every answer must have; default 200. */
  readonly expectStatus?: number;
}

/** What one load run measured. */
export interface HttpSample {
  /** Answers per second with the expected status over the run. */
  readonly rps: number;
  /** Response time percentiles in milliseconds (hrtime, per request). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
}

export interface LoadShape {
  readonly connections: number;
  /** Seconds of load (autocannon samples once a second, so whole seconds)… */
  readonly seconds?: number;
  /** …or a number of requests instead (priming caches). */
  readonly amount?: number;
}

/** A run that saw an unexpected status or a socket error: the figures would be meaningless. */
export class LoadError extends Error {
  override readonly name = 'LoadError';
}

/**
 * Loads a target with autocannon for `seconds` at `connections` keep-alive connections. Every
 * request is built by `setupRequest` with the next token of the rotation, for baselines too, so
 * the load generator does the same work per request whatever it measures.
 * @example const s = await loadHttp(target, { connections: 16, seconds: 3 }); s.rps
 */
export function loadHttp(target: HttpTarget, shape: LoadShape): Promise<HttpSample> {
  const { tokens } = target;
  const expected = target.expectStatus ?? 200;
  const latencies = createLatencyRecorder();
  let ok = 0;
  let unexpected = 0;
  let lastStatus = 0;
  let resets = 0;
  const otherErrors: string[] = [];

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.origin,
        connections: shape.connections,
        ...(shape.amount === undefined
          ? { duration: shape.seconds ?? 1 }
          : { amount: shape.amount }),
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              const spec = target.request(tokens.next());
              return {
                ...request,
                method: (spec.method ?? 'GET') as 'GET',
                path: spec.path,
                headers: { ...request.headers, ...spec.headers },
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        // nginx closes a keep-alive connection after keepalive_requests (1000) answers; autocannon
        // has usually written the next request by then and sees a reset, then reconnects. That is
        // the deployed config's behaviour, not a failure; anything beyond it is.
        const allowedResets = shape.connections + Math.ceil(ok / 1000);
        if (
          unexpected > 0 ||
          otherErrors.length > 0 ||
          resets > allowedResets ||
          result.timeouts > 0
        ) {
          return reject(
            new LoadError(
              `${target.name}: ${unexpected} answers other than ${expected} (last ${lastStatus}), ${resets} connection resets, socket errors [${otherErrors.slice(0, 3).join(', ')}], ${result.timeouts} timeouts`,
            ),
          );
        }
        resolve({
          rps: ok / result.duration,
          p50Ms: latencies.percentile(50),
          p99Ms: latencies.percentile(99),
          requests: ok,
        });
      },
    );
    instance.on('reqError', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') resets++;
      else otherErrors.push(error.code ?? error.message);
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === expected) {
        ok++;
        latencies.record(ms);
      } else {
        unexpected++;
        lastStatus = status;
      }
    });
  });
}
