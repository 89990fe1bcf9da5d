import { connect } from 'node:net';
import type { Child } from './child.js';

/**
 * One probe: whether `url` answers with `status` (default: any 2xx) within 2 s; false when it
 * refuses, fails or times out.
 * @example await answers('http://127.0.0.1:9096/api/healthcheck') // true
 */
export function answers(url: string, status?: number): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    async (res) => {
      await res.arrayBuffer();
      return status === undefined ? res.ok : res.status === status;
    },
    () => false,
  );
}

/**
 * Polls `url` until it answers with `status` (default: any 2xx), or fails when `child` exits or
 * `timeoutMs` passes.
 * @example await waitHealthy('http://127.0.0.1:9096/api/healthcheck', acs)
 */
export async function waitHealthy(
  url: string,
  child: Pick<Child, 'name' | 'isRunning'>,
  { timeoutMs = 30_000, status }: { timeoutMs?: number; status?: number } = {},
): Promise<void> {
  await waitUntil(child, `answer ${url}`, () => answers(url, status), { timeoutMs });
}

/**
 * Waits until something accepts TCP connections on `host:port`, or fails when `child` exits or
 * `timeoutMs` passes.
 * @example await waitForPort(8080, '127.0.0.1', nginx)
 */
export async function waitForPort(
  port: number,
  host: string,
  child: Pick<Child, 'name' | 'isRunning'>,
  timeoutMs = 10_000,
): Promise<void> {
  await waitUntil(
    child,
    `listen on ${host}:${port}`,
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, host);
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
    { timeoutMs },
  );
}

/**
 * Checks `ready` every `intervalMs` (default 50) until it holds; fails with `<name> exited while
 * starting.` when `child` exits first, or `<name> did not <what> in time.` after `timeoutMs`.
 * @example await waitUntil(nginx, `write ${pidPath}`, () => existsSync(pidPath), { timeoutMs: 15_000 })
 */
export async function waitUntil(
  child: Pick<Child, 'name' | 'isRunning'>,
  what: string,
  ready: () => boolean | Promise<boolean>,
  { timeoutMs, intervalMs = 50 }: { timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.isRunning()) throw new Error(`${child.name} exited while starting.`);
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not ${what} in time.`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
