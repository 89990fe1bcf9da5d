import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { EventLatency } from '../result.js';
import { round } from '../statistics.js';
import { createLatencyRecorder } from './latency-recorder.js';

interface Probe {
  readonly seen: Map<string, number>;
  readonly ws: WebSocket;
  waitFor(key: string, timeoutMs: number): Promise<void>;
  /** The key of the next status event that ends a run. */
  nextEnd(timeoutMs: number): Promise<string>;
}

const END = /^status:.*:(completed|error|stopped)$/;

/** Every event arriving on a socket, by identity (`step:<run>:<seq>:<kind>`, `status:<run>:<state>`). */
function probe(url: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const seen = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    let onEnd: ((key: string) => void) | undefined;
    ws.on('message', (data) => {
      const at = performance.now();
      const event = JSON.parse(String(data)) as {
        type: string;
        state?: string;
        runId?: string;
        step?: { kind: string; runId: string; seq: number };
      };
      let key: string | undefined;
      if (event.type === 'status') key = `status:${event.runId}:${event.state}`;
      if (event.type === 'step' && event.step) {
        const { kind, runId, seq } = event.step;
        key = kind === 'text_delta' ? `delta:${runId}:${seq}` : `step:${runId}:${seq}:${kind}`;
      }
      if (key === undefined || seen.has(key)) return;
      seen.set(key, at);
      waiters.get(key)?.();
      if (END.test(key)) onEnd?.(key);
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        seen,
        ws,
        waitFor: (key, timeoutMs) =>
          new Promise<void>((done, fail) => {
            if (seen.has(key)) return done();
            const timer = setTimeout(
              () => fail(new Error(`no ${key} in ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiters.set(key, () => {
              clearTimeout(timer);
              done();
            });
          }),
        nextEnd: (timeoutMs) =>
          new Promise<string>((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`no run end in ${timeoutMs} ms`)),
              timeoutMs,
            );
            onEnd = (key) => {
              clearTimeout(timer);
              onEnd = undefined;
              done(key);
            };
          }),
      }),
    );
  });
}

/**
 * Runs `runs` prompts through a socket on the replica that executes them (`local`) while a socket
 * on another replica (`remote`) listens, and compares when each event reached each socket. Both
 * sockets live in this process, so the difference is the cross-replica path (NOTIFY, a read of the
 * tables, the send) with the same clock.
 * @example const latency = await measureEventLatency(urlOnA, urlOnB, 20)
 */
export async function measureEventLatency(
  localUrl: string,
  remoteUrl: string,
  runs: number,
): Promise<EventLatency> {
  const local = await probe(localUrl);
  const remote = await probe(remoteUrl);
  try {
    for (let i = 0; i < runs; i++) {
      const ended = local.nextEnd(20_000);
      local.ws.send(JSON.stringify({ v: 1, type: 'prompt', text: 'what is 6*7?' }));
      // The next run starts once the other socket has seen this one end too.
      await remote.waitFor(await ended, 20_000);
    }
  } finally {
    local.ws.close();
    remote.ws.close();
  }
  const events = createLatencyRecorder();
  const deltas = createLatencyRecorder();
  for (const [key, at] of local.seen) {
    const there = remote.seen.get(key);
    if (there === undefined) continue;
    (key.startsWith('delta:') ? deltas : events).record(there - at);
  }
  return {
    runs,
    events: events.count,
    p50Ms: round(events.percentile(50), 3),
    p99Ms: round(events.percentile(99), 3),
    deltas: deltas.count,
    deltaP50Ms: round(deltas.percentile(50), 3),
    deltaP99Ms: round(deltas.percentile(99), 3),
  };
}
