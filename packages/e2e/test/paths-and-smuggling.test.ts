import { readIdentityHeaders } from '@agentauth/auth-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricSum } from '../src/metrics.js';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type RecordedChain, startRecordedChain } from '../src/recorded-chain.js';
import { ALICE, tokenFor } from '../src/tokens.js';

// Nothing reaches the agent upstream without an allow decision from the access-control-service,
// whatever the request target, HTTP version or framing. The upstream here is a recording server
// that accepts everything, so anything that slipped past the gateway would show up in its log.

let chain: RecordedChain;
const TOKEN = tokenFor(ALICE);
const MARK = 'SMUGGLED';

beforeAll(async () => {
  chain = await startRecordedChain();
});
afterAll(() => chain?.stop());
beforeEach(() => {
  if (chain) chain.upstream.requests.length = 0;
});

const allows = () => metricSum(`${chain.acs.url}/metrics`, 'decisions_total', { outcome: 'allow' });
const send = (lines: string[], body = '') => rawExchange(chain.gw.port, httpRequest(lines, body));

/** Request targets that try to reach the agent-service by another spelling, or escape it. */
const TARGETS = [
  '/api/agents/../agents',
  '/api/x/../agents',
  '/static/../api/agents',
  '/%2e%2e/api/agents',
  '/api/agents/./',
  '//api//agents',
  '/api///agents/',
  '/api/agents%2F..%2F..%2Fhealthcheck',
  '/api/agents/..%2f..%2fhealthcheck',
  '/api/agents/%2e%2e/%2e%2e/metrics',
  '/api/agents/%252e%252e/%252e%252e/',
  '/api/agents/%c0%ae%c0%ae/',
  '/api/%61gents',
  '/api/agents%2f',
  '/api/agents%5c..%5chealthcheck',
  '/api/agents\\..\\healthcheck',
  '/API/agents',
  '/api/Agents',
  '/api/agents;x=1',
  '/api/agents%00',
  '/api/agents%3F',
  '/api/agents%20',
  '/api/agents/..',
  '/api/agents/x/react/../../',
  '/api/agents?x=/../../admin',
  '/api/agents#fragment',
  '/api/agentsX',
  '/api/agents.json',
  'http://127.0.0.1/api/agents',
  'http://evil.example/api/agents',
  'http://127.0.0.1/api/agents/../healthcheck',
  'HTTP://127.0.0.1/api/agents',
  '*',
  'api/agents',
];

describe('request targets', () => {
  it.each(TARGETS)('%s without a token reaches nothing', async (target) => {
    const res = await send([`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']);
    expect(chain.upstream.requests).toEqual([]);
    expect(res.raw).not.toContain('"recorded":true');
  });

  it.each(TARGETS)(
    '%s with a valid token reaches the upstream only after an allow',
    async (target) => {
      const before = await allows();
      await send([
        `GET ${target} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Connection: close',
        `Authorization: Bearer ${TOKEN}`,
      ]);
      const decided = (await allows()) - before;
      expect(chain.upstream.requests.length).toBeLessThanOrEqual(decided);
      for (const seen of chain.upstream.requests) {
        expect(readIdentityHeaders(seen.headers)).toEqual({
          uid: ALICE.uid,
          name: ALICE.name,
          email: ALICE.email,
        });
      }
    },
  );

  it.each([
    ['CONNECT', '127.0.0.1:443'],
    ['TRACE', '/api/agents'],
    ['PROPFIND', '/api/agents'],
    ['get', '/api/agents'],
    ['GET ', '/api/agents'],
  ])('method %j on %s without a token reaches nothing', async (method, target) => {
    await send([`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']);
    expect(chain.upstream.requests).toEqual([]);
  });
});

describe('HTTP versions', () => {
  it('HTTP/1.0 without Host: 401 without a token, decided and forwarded with one', async () => {
    const denied = await send(['GET /api/agents HTTP/1.0']);
    expect(denied.first.status).toBe(401);
    expect(chain.upstream.requests).toEqual([]);
    const allowed = await send(['GET /api/agents HTTP/1.0', `Authorization: Bearer ${TOKEN}`]);
    expect(allowed.first.status).toBe(200);
    expect(chain.upstream.requests).toHaveLength(1);
  });

  it.each([
    ['HTTP/0.9 (no version)', 'GET /api/agents\r\n\r\n'],
    ['HTTP/2.0 in a text request line', 'GET /api/agents HTTP/2.0\r\nHost: a\r\n\r\n'],
    ['HTTP/1.2', 'GET /api/agents HTTP/1.2\r\nHost: a\r\n\r\n'],
    ['a bare LF request', 'GET /api/agents HTTP/1.1\nHost: a\n\n'],
    ['a bare CR in the request line', 'GET /api/agents\rX HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ])('%s reaches nothing', async (_, bytes) => {
    await rawExchange(chain.gw.port, bytes);
    expect(chain.upstream.requests).toEqual([]);
  });
});

/** A request without a token hidden inside the framing of an authenticated one. */
const inner = `GET /api/agents/${MARK} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const chunkedInner = `0\r\n\r\n${inner}`;
const outer = (framing: string[], auth: boolean) => [
  'POST /api/agents HTTP/1.1',
  'Host: 127.0.0.1',
  ...(auth ? [`Authorization: Bearer ${TOKEN}`] : []),
  'Content-Type: application/json',
  ...framing,
];

const SMUGGLING: ReadonlyArray<readonly [string, string[], string]> = [
  [
    'CL.TE: Content-Length and chunked',
    ['Content-Length: 5', 'Transfer-Encoding: chunked'],
    chunkedInner,
  ],
  [
    'TE.CL: chunked and Content-Length',
    ['Transfer-Encoding: chunked', 'Content-Length: 5'],
    chunkedInner,
  ],
  [
    'two different Content-Lengths',
    ['Content-Length: 0', `Content-Length: ${inner.length}`],
    inner,
  ],
  [
    'two equal Content-Lengths',
    [`Content-Length: ${inner.length}`, `Content-Length: ${inner.length}`],
    inner,
  ],
  ['Content-Length with a sign', ['Content-Length: +0'], inner],
  ['Content-Length as a list', ['Content-Length: 0, 0'], inner],
  ['Transfer-Encoding: xchunked', ['Transfer-Encoding: xchunked', 'Content-Length: 0'], inner],
  ['Transfer-Encoding: chunked, identity', ['Transfer-Encoding: chunked, identity'], chunkedInner],
  ['Transfer-Encoding: identity, chunked', ['Transfer-Encoding: identity, chunked'], chunkedInner],
  [
    'two Transfer-Encoding lines',
    ['Transfer-Encoding: chunked', 'Transfer-Encoding: identity'],
    chunkedInner,
  ],
  ['space before the colon', ['Transfer-Encoding : chunked', 'Content-Length: 0'], chunkedInner],
  ['a tab as the separator', ['Transfer-Encoding:\tchunked'], chunkedInner],
  ['obs-fold continuation', ['Transfer-Encoding:', ' chunked', 'Content-Length: 0'], chunkedInner],
  [
    'an oversized chunk size',
    ['Transfer-Encoding: chunked'],
    `FFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n${inner}`,
  ],
  [
    'a chunk extension hiding bytes',
    ['Transfer-Encoding: chunked'],
    `2;x=${inner}\r\nab\r\n0\r\n\r\n`,
  ],
  ['a negative chunk size', ['Transfer-Encoding: chunked'], `-1\r\n${inner}`],
  ['Expect: 100-continue', ['Expect: 100-continue', 'Content-Length: 0'], inner],
];

describe('request smuggling shapes nginx might accept', () => {
  it.each(SMUGGLING)(
    '%s: the hidden unauthenticated request never reaches the upstream',
    async (_, framing, body) => {
      const before = await allows();
      await send(outer(framing, true), body);
      const smuggled = chain.upstream.requests.filter(
        (r) => r.url.includes(MARK) || (r.method === 'TUNNEL' && r.body.includes(MARK)),
      );
      expect(smuggled).toEqual([]);
      expect(chain.upstream.requests.length).toBeLessThanOrEqual((await allows()) - before);
      for (const seen of chain.upstream.requests) {
        expect(seen.headers['x-user-id']).toBe(String(ALICE.uid));
      }
    },
  );

  it.each(SMUGGLING)(
    '%s without a token: nothing reaches the upstream',
    async (_, framing, body) => {
      await send(outer(framing, false), body);
      expect(chain.upstream.requests).toEqual([]);
    },
  );

  it('a pipelined unauthenticated request after an allowed one is decided on its own (401)', async () => {
    const res = await rawExchange(
      chain.gw.port,
      Buffer.concat([
        httpRequest(['GET /api/agents HTTP/1.1', 'Host: a', `Authorization: Bearer ${TOKEN}`]),
        Buffer.from(`GET /api/agents/${MARK} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`),
      ]),
    );
    expect(res.responses.map((r) => r.status)).toEqual([200, 401]);
    expect(chain.upstream.requests.map((r) => r.url)).toEqual(['/api/agents']);
  });

  it('an upgrade the upstream did not accept (200, kept open) is not turned into a tunnel', async () => {
    const res = await rawExchange(
      chain.gw.port,
      Buffer.concat([
        httpRequest([
          'GET /api/agents/x/react HTTP/1.1',
          'Host: a',
          `Authorization: Bearer ${TOKEN}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ]),
        Buffer.from(`GET /api/agents/${MARK} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`),
      ]),
      { idleMs: 800 },
    );
    expect(res.responses[0]?.status).toBe(200);
    const tunnelled = chain.upstream.requests.filter(
      (r) => r.method === 'TUNNEL' || r.url.includes(MARK),
    );
    expect(tunnelled).toEqual([]);
    if (res.responses[1]) expect(res.responses[1].status).toBe(401);
  });

  it('an h2c upgrade without a token is refused and reaches nothing', async () => {
    const res = await send([
      'GET /api/agents HTTP/1.1',
      'Host: a',
      'Connection: Upgrade, HTTP2-Settings',
      'Upgrade: h2c',
      'HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA',
    ]);
    expect(res.first.status).toBe(401);
    expect(chain.upstream.requests).toEqual([]);
  });
});

describe('after the attacks', () => {
  it('leaves nginx and the access-control-service running and answering', async () => {
    expect(chain.gw.child.isRunning()).toBe(true);
    expect(chain.acs.child.isRunning()).toBe(true);
    const res = await send([
      'GET /api/agents HTTP/1.1',
      'Host: a',
      'Connection: close',
      `Authorization: Bearer ${TOKEN}`,
    ]);
    expect(res.first.status).toBe(200);
  });
});
