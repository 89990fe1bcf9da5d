import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (the OS picks it). nginx needs its ports up front,
 * and the services take theirs from `PORT`, so the bench cannot let them bind port 0.
 * @example const port = await freePort()
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * Polls `url` until it answers `status`, or throws after `timeoutMs` or when `alive()` turns false.
 * @example await waitForAnswer('http://127.0.0.1:9096/api/healthcheck', () => child.exitCode === null)
 */
export async function waitForAnswer(
  url: string,
  alive: () => boolean,
  { status = 200, timeoutMs = 20_000 }: { status?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the process behind ${url} exited while starting`);
    const answered = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === status;
      },
      () => false,
    );
    if (answered) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer ${status} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
