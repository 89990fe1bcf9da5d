import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent-client.js';
import { metricSum } from '../src/metrics.js';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, tokenFor } from '../src/tokens.js';

// Input that used to cost a 5xx or an unbounded wait, on the real stack: malformed
// percent-escapes in a route parameter, and a body announced to the access-control-service that
// never completes. Directly at each service and through the gateway.

let stack: E2eStack;
const token = tokenFor(ALICE);
let agentId = '';
beforeAll(async () => {
  stack = await startE2eStack();
  agentId = (await createAgent(stack.origin, token)).id;
});
afterAll(async () => {
  await stack?.stop();
});

const port = (url: string) => Number(new URL(url).port);
const get = (at: string, target: string) =>
  rawExchange(
    port(at),
    httpRequest([
      `GET ${target} HTTP/1.1`,
      'Host: e2e.test',
      `Authorization: Bearer ${token}`,
      'Connection: close',
    ]),
  );
const ESCAPES = ['/api/agents/%/settings', '/api/agents/%E0%A4%A', '/api/agents/%zz/steps'];

describe('a malformed percent-escape in a route parameter', () => {
  it.each(ESCAPES)('is a 400 ERR_BAD_REQUEST at the agent-service itself: %s', async (target) => {
    const errorsBefore = await metricSum(
      stack.agentMetricsUrl,
      'agent_service_http_requests_total',
      {
        status: '500',
      },
    );
    const { first } = await get(stack.agentUrl, target);
    expect(first.status).toBe(400);
    expect(JSON.parse(first.body).error.code).toBe('ERR_BAD_REQUEST');
    expect(first.body).not.toMatch(/URIError|at .*\.js/);
    const errorsAfter = await metricSum(
      stack.agentMetricsUrl,
      'agent_service_http_requests_total',
      {
        status: '500',
      },
    );
    expect(errorsAfter - errorsBefore).toBe(0);
  });

  it.each(ESCAPES)('is a 400 through the gateway, never a 5xx: %s', async (target) => {
    const { first } = await get(stack.origin, target);
    expect(first.status).toBe(400);
  });

  it('leaves the well-formed neighbour route working', async () => {
    const { first } = await get(stack.origin, `/api/agents/${agentId}/settings`);
    expect(first.status).toBe(200);
  });
});

describe('a body announced to the access-control-service that never completes', () => {
  it('is denied with 401 (never a 5xx) within the body timeout, and the connection closed', async () => {
    const exchange = await rawExchange(
      port(stack.acsUrl),
      httpRequest(
        [
          'POST /api/auth/api/agents HTTP/1.1',
          'Host: e2e.test',
          'Content-Type: application/json',
          'Transfer-Encoding: chunked',
        ],
        '5\r\n{"tok',
      ),
      { timeoutMs: 10_000 },
    );
    // An answer at all: without the service's 2 s body timeout the read ends at 10 s with none.
    expect(exchange.first.status).toBe(401);
    expect(JSON.parse(exchange.first.body).error.code).toBe('ERR_TOKEN_MALFORMED');
    expect(exchange.closedByServer).toBe(true);
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});
