import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, tokenFor } from './harness.js';

// A model endpoint that holds `/v1/models` until released: an in-flight request the service must
// finish during its shutdown, as docs/agent-service.md says it does.
let release = () => {};
let arrived = () => {};
let provider: Server;
beforeAll(async () => {
  provider = createServer((req, res) => {
    if (req.url !== '/v1/models') return void res.writeHead(404).end();
    arrived();
    new Promise<void>((resolve) => {
      release = resolve;
    }).then(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'held-model', object: 'model' }] }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise((resolve) => provider.close(resolve)));

describe('agent-service shutdown', () => {
  it('finishes an in-flight request before closing, and accepts no new connection meanwhile', async () => {
    const { port } = provider.address() as AddressInfo;
    const harness = await startHarness({ llmBaseUrl: `http://127.0.0.1:${port}/v1` });
    const token = await tokenFor();
    const inFlight = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const answer = fetch(`${harness.url}/api/agents/models`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await inFlight;
    const closed = harness.service.close(10_000);
    await expect(fetch(`${harness.url}/api/healthcheck`)).rejects.toThrow();
    release();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ models: [expect.objectContaining({ id: 'held-model' })] });
    expect(await closed).toBe(true);
    await harness.close();
  });
});
