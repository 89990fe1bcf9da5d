import WebSocket from 'ws';
import { createLatencyRecorder } from './latency-recorder.js';
import type { TokenRotation } from './token-rotation.js';

/** Something to open WebSockets to: the URL for a token, and the tokens to rotate through. */
export interface HandshakeTarget {
  readonly name: string;
  readonly tokens: TokenRotation;
  readonly url: (token: string) => string;
}

export interface HandshakeSample {
  /** Completed handshakes per second: upgrade → 101 → the server's first message → closed. */
  readonly perSec: number;
  /** Time from opening to the first server message, ms. */
  readonly p50Ms: number;
  readonly handshakes: number;
}

/**
 * Opens WebSockets back to back from `concurrency` loops for `seconds`; each waits for the
 * server's first message (the agent-service's snapshot, the baseline's greeting), then drops the
 * connection. Any refused or failed handshake fails the run.
 * @example const s = await loadHandshakes(target, { concurrency: 4, seconds: 3 })
 */
export async function loadHandshakes(
  target: HandshakeTarget,
  shape: { readonly concurrency: number; readonly seconds: number },
): Promise<HandshakeSample> {
  const latencies = createLatencyRecorder(16_384);
  let count = 0;
  const started = performance.now();
  const deadline = started + shape.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const opened = performance.now();
      const ws = new WebSocket(target.url(target.tokens.next()), { perMessageDeflate: false });
      ws.once('message', () => {
        latencies.record(performance.now() - opened);
        ws.terminate();
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        reject(new Error(`${target.name}: handshake answered ${res.statusCode}`));
      });
      ws.once('error', (error) => reject(new Error(`${target.name}: ${error.message}`)));
    });
  const loop = async () => {
    while (performance.now() < deadline) {
      await one();
      count++;
    }
  };
  await Promise.all(Array.from({ length: shape.concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  return { perSec: count / elapsed, p50Ms: latencies.percentile(50), handshakes: count };
}

/**
 * Opens `count` WebSockets (50 at a time) and resolves once each got its first message.
 * @example const sockets = await openSockets(url, tokens, 1000)
 */
export async function openSockets(
  url: (token: string) => string,
  tokens: readonly string[],
  count: number,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from(
      { length: Math.min(50, count - i) },
      (_, j) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(url(tokens[(i + j) % tokens.length] as string), {
            perMessageDeflate: false,
          });
          sockets.push(ws);
          ws.once('message', () => resolve());
          ws.once('unexpected-response', (_req, res) =>
            reject(new Error(`a socket was refused: ${res.statusCode}`)),
          );
          ws.once('error', reject);
        }),
    );
    await Promise.all(batch);
  }
  return sockets;
}
