/**
 * Polls `url` until it answers `status`, or throws after `timeoutMs` or when `alive()` turns false.
 * (`@agentauth/stack`'s `waitHealthy` does the same for its own `Child` handles; the bench's
 * processes are forked with IPC and a memory probe, so it asks a predicate instead.)
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
