import type { Child } from './child.js';

/**
 * Polls `url` until it answers with `status` (default: any 2xx), or fails when `child` exits or
 * `timeoutMs` passes.
 * @example await waitHealthy('http://127.0.0.1:9096/api/healthcheck', acs)
 */
export async function waitHealthy(
  url: string,
  child: Child,
  { timeoutMs = 30_000, status }: { timeoutMs?: number; status?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!child.isRunning()) throw new Error(`${child.name} exited while starting.`);
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => (status === undefined ? res.ok : res.status === status),
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`${child.name} did not answer ${url} in time.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
