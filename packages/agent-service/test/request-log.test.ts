import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, tokenFor } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const requestLines = () =>
  h.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record.msg === 'request');

describe('request log lines', () => {
  it("carry the gateway's request id, and never an id shaped like a token", async () => {
    const token = await tokenFor();
    await fetch(`${h.url}/api/agents`, {
      headers: {
        authorization: `Bearer ${token}`,
        'x-request-id': '0f3c9a7e5b1d2468ace0f3c9a7e5b1d2',
      },
    });
    await fetch(`${h.url}/api/healthcheck`, { headers: { 'x-request-id': token } });
    const [listed, health] = requestLines().slice(-2);
    expect(listed).toMatchObject({
      url: '/api/agents',
      requestId: '0f3c9a7e5b1d2468ace0f3c9a7e5b1d2',
    });
    expect(health).toMatchObject({ url: '/api/healthcheck' });
    expect(health).not.toHaveProperty('requestId');
    expect(h.logs.join('')).not.toContain(token);
  });
});
