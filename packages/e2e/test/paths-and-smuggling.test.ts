import { readIdentityHeaders } from '@agentauth/auth-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricSum } from '../src/metrics.js';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type RecordedChain, startRecordedChain } from '../src/recorded-chain.js';
import { ALICE, tokenFor } from '../src/tokens.js';

// Nothing reaches the agent upstream without an allow decision from the access-control-service,
// whatever the request target, HTTP version or framing. The upstream here is a recording server
// that accepts everything, so anything that slipped past the gateway shows up in its log. Every
// case sends a valid token (built when it is sent), so "reaches nothing" is the gateway's doing,
// not the missing token's, and each case states its one outcome: the status, and exactly what the
// upstream received.

let chain: RecordedChain;
const MARK = 'SMUGGLED';
const token = () => tokenFor(ALICE);
/** What the gateway serves at `/`: the web app, which no decision guards. */
let webApp = '';

beforeAll(async () => {
  chain = await startRecordedChain();
  const index = await rawExchange(
    chain.gw.port,
    httpRequest(['GET / HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close']),
  );
  expect(index.first.status).toBe(200);
  webApp = index.first.body;
  expect(webApp).toMatch(/<html|<!doctype/i);
});
afterAll(() => chain?.stop());
beforeEach(() => {
  if (chain) chain.upstream.requests.length = 0;
});

const allows = () => metricSum(`${chain.acs.url}/metrics`, 'decisions_total', { outcome: 'allow' });
const send = (lines: string[], body = '') => rawExchange(chain.gw.port, httpRequest(lines, body));
const get = (target: string, auth = true) =>
  send([
    `GET ${target} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: close',
    ...(auth ? [`Authorization: Bearer ${token()}`] : []),
  ]);

/** Every request the upstream received carries Alice's identity from the decision. */
function expectAliceOnly() {
  for (const seen of chain.upstream.requests) {
    expect(readIdentityHeaders(seen.headers)).toEqual({
      uid: ALICE.uid,
      name: ALICE.name,
      email: ALICE.email,
    });
  }
}

/**
 * Targets that try to reach the agent-service by another spelling, or escape it, each with the one
 * outcome for a request carrying a valid token: forwarded (after exactly one allow, as the raw
 * target, or its origin form for an absolute-form target), the web app (nginx normalised the path
 * out of /api/agents: nothing decided), or refused with a status.
 */
type Outcome = { forwarded: string } | { webApp: true } | { status: 400 | 403 | 404 };
const TARGETS: ReadonlyArray<readonly [string, Outcome]> = [
  ['/api/agents/../agents', { forwarded: '/api/agents/../agents' }],
  ['/api/x/../agents', { forwarded: '/api/x/../agents' }],
  ['/static/../api/agents', { forwarded: '/static/../api/agents' }],
  ['/%2e%2e/api/agents', { status: 400 }],
  ['/api/agents/./', { forwarded: '/api/agents/./' }],
  ['//api//agents', { forwarded: '//api//agents' }],
  ['/api///agents/', { forwarded: '/api///agents/' }],
  ['/api/agents%2F..%2F..%2Fhealthcheck', { webApp: true }],
  ['/api/agents/..%2f..%2fhealthcheck', { webApp: true }],
  ['/api/agents/%2e%2e/%2e%2e/metrics', { webApp: true }],
  ['/api/agents/%252e%252e/%252e%252e/', { forwarded: '/api/agents/%252e%252e/%252e%252e/' }],
  ['/api/agents/%c0%ae%c0%ae/', { forwarded: '/api/agents/%c0%ae%c0%ae/' }],
  ['/api/%61gents', { forwarded: '/api/%61gents' }],
  ['/api/agents%2f', { status: 403 }],
  ['/api/agents%5c..%5chealthcheck', { status: 404 }],
  ['/api/agents\\..\\healthcheck', { status: 404 }],
  ['/API/agents', { webApp: true }],
  ['/api/Agents', { status: 404 }],
  ['/api/agents;x=1', { status: 404 }],
  ['/api/agents%00', { status: 400 }],
  ['/api/agents%3F', { status: 404 }],
  ['/api/agents%20', { status: 404 }],
  ['/api/agents/..', { status: 404 }],
  ['/api/agents/x/react/../../', { forwarded: '/api/agents/x/react/../../' }],
  ['/api/agents?x=/../../admin', { forwarded: '/api/agents?x=/../../admin' }],
  ['/api/agents#fragment', { status: 403 }],
  ['/api/agentsX', { status: 404 }],
  ['/api/agents.json', { status: 404 }],
  ['http://127.0.0.1/api/agents', { forwarded: '/api/agents' }],
  ['http://evil.example/api/agents', { forwarded: '/api/agents' }],
  ['http://127.0.0.1/api/agents/../healthcheck', { status: 404 }],
  ['HTTP://127.0.0.1/api/agents', { forwarded: '/api/agents' }],
  ['*', { status: 400 }],
  ['api/agents', { status: 400 }],
];
const describeOutcome = (o: Outcome) =>
  'forwarded' in o
    ? `is forwarded as ${o.forwarded} after one allow`
    : 'webApp' in o
      ? 'is the web app, never the upstream'
      : `is refused with ${o.status}, never forwarded`;

describe('request targets', () => {
  it.each(TARGETS.map(([target, outcome]) => [target, describeOutcome(outcome), outcome] as const))(
    '%s with a valid token %s',
    async (target, _, outcome) => {
      const before = await allows();
      const res = await get(target);
      const decided = (await allows()) - before;
      if ('forwarded' in outcome) {
        expect(res.first.status).toBe(200);
        expect(decided).toBe(1);
        expect(chain.upstream.requests.map((r) => r.url)).toEqual([outcome.forwarded]);
        expectAliceOnly();
        return;
      }
      expect(chain.upstream.requests).toEqual([]);
      expect(decided).toBe(0);
      if ('webApp' in outcome) {
        expect(res.first.status).toBe(200);
        expect(res.first.body).toBe(webApp);
      } else {
        expect(res.first.status).toBe(outcome.status);
      }
    },
  );

  it.each(TARGETS.filter(([, o]) => 'forwarded' in o).map(([target]) => target))(
    '%s without a token is refused (401 ERR_TOKEN_MISSING) and reaches nothing',
    async (target) => {
      const res = await get(target, false);
      expect(res.first.status).toBe(401);
      expect(JSON.parse(res.first.body).error.code).toBe('ERR_TOKEN_MISSING');
      expect(chain.upstream.requests).toEqual([]);
    },
  );

  it.each([
    ['CONNECT', '127.0.0.1:443', 400],
    ['TRACE', '/api/agents', 405],
    ['get', '/api/agents', 400],
  ] as const)(
    'method %j on %s with a valid token is refused (%i) and reaches nothing',
    async (method, target, status) => {
      const res = await send([
        `${method} ${target} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Connection: close',
        `Authorization: Bearer ${token()}`,
      ]);
      expect(res.first.status).toBe(status);
      expect(chain.upstream.requests).toEqual([]);
    },
  );

  it.each([
    ['PROPFIND', 'PROPFIND'],
    ['GET ', 'GET'],
  ])(
    'method %j with a valid token is decided and forwarded as %s (the agent-service answers it)',
    async (method, forwarded) => {
      const before = await allows();
      const res = await send([
        `${method} /api/agents HTTP/1.1`,
        'Host: 127.0.0.1',
        'Connection: close',
        `Authorization: Bearer ${token()}`,
      ]);
      expect(res.first.status).toBe(200);
      expect((await allows()) - before).toBe(1);
      expect(chain.upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        `${forwarded} /api/agents`,
      ]);
      expectAliceOnly();
    },
  );
});

describe('HTTP versions', () => {
  it('HTTP/1.0 without Host: 401 without a token, decided and forwarded with one', async () => {
    const denied = await send(['GET /api/agents HTTP/1.0']);
    expect(denied.first.status).toBe(401);
    expect(chain.upstream.requests).toEqual([]);
    const allowed = await send(['GET /api/agents HTTP/1.0', `Authorization: Bearer ${token()}`]);
    expect(allowed.first.status).toBe(200);
    expect(chain.upstream.requests).toHaveLength(1);
    expectAliceOnly();
  });

  // Each with a valid token on the following header line, so only the framing decides.
  const bearer = (eol: string) => `Authorization: Bearer ${token()}${eol}`;
  it.each([
    [
      'HTTP/2.0 in a text request line',
      505,
      (): string => `GET /api/agents HTTP/2.0\r\nHost: a\r\n${bearer('\r\n')}\r\n`,
    ],
    [
      'a bare CR in the request line',
      400,
      (): string => `GET /api/agents\rX HTTP/1.1\r\nHost: a\r\n${bearer('\r\n')}\r\n`,
    ],
    ['an HTTP/2 preface', 400, (): string => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
  ] as const)(
    '%s with a valid token is refused (%i) and reaches nothing',
    async (_, status, bytes) => {
      const res = await rawExchange(chain.gw.port, bytes());
      expect(res.first.status).toBe(status);
      expect(chain.upstream.requests).toEqual([]);
    },
  );

  it('HTTP/0.9 (no version, so no header can carry a token) gets a bare 401 body and reaches nothing', async () => {
    const res = await rawExchange(chain.gw.port, `GET /api/agents\r\n${bearer('\r\n')}\r\n`);
    expect(res.responses).toEqual([]);
    expect(JSON.parse(res.raw).error.code).toBe('ERR_TOKEN_MISSING');
    expect(chain.upstream.requests).toEqual([]);
  });

  it.each([
    ['HTTP/1.2', (): string => `GET /api/agents HTTP/1.2\r\nHost: a\r\n${bearer('\r\n')}\r\n`],
    ['a bare LF request', (): string => `GET /api/agents HTTP/1.1\nHost: a\n${bearer('\n')}\n`],
  ] as const)(
    '%s with a valid token is read as HTTP/1.1: decided (one allow) and forwarded',
    async (_, bytes) => {
      const before = await allows();
      const res = await rawExchange(chain.gw.port, bytes());
      expect(res.first.status).toBe(200);
      expect((await allows()) - before).toBe(1);
      expect(chain.upstream.requests.map((r) => r.url)).toEqual(['/api/agents']);
      expectAliceOnly();
    },
  );
});

/** A request without a token hidden inside the framing of an authenticated one. */
const inner = `GET /api/agents/${MARK} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const chunkedInner = `0\r\n\r\n${inner}`;
const outer = (framing: string[], auth: boolean) => [
  'POST /api/agents HTTP/1.1',
  'Host: 127.0.0.1',
  ...(auth ? [`Authorization: Bearer ${token()}`] : []),
  'Content-Type: application/json',
  ...framing,
];

/** Each framing with the status nginx answers the authenticated outer request with. */
const SMUGGLING: ReadonlyArray<readonly [string, string[], string, 400 | 501]> = [
  [
    'CL.TE: Content-Length and chunked',
    ['Content-Length: 5', 'Transfer-Encoding: chunked'],
    chunkedInner,
    400,
  ],
  [
    'TE.CL: chunked and Content-Length',
    ['Transfer-Encoding: chunked', 'Content-Length: 5'],
    chunkedInner,
    400,
  ],
  [
    'two different Content-Lengths',
    ['Content-Length: 0', `Content-Length: ${inner.length}`],
    inner,
    400,
  ],
  [
    'two equal Content-Lengths',
    [`Content-Length: ${inner.length}`, `Content-Length: ${inner.length}`],
    inner,
    400,
  ],
  ['Content-Length with a sign', ['Content-Length: +0'], inner, 400],
  ['Content-Length as a list', ['Content-Length: 0, 0'], inner, 400],
  ['Transfer-Encoding: xchunked', ['Transfer-Encoding: xchunked', 'Content-Length: 0'], inner, 501],
  [
    'Transfer-Encoding: chunked, identity',
    ['Transfer-Encoding: chunked, identity'],
    chunkedInner,
    501,
  ],
  [
    'Transfer-Encoding: identity, chunked',
    ['Transfer-Encoding: identity, chunked'],
    chunkedInner,
    501,
  ],
  [
    'two Transfer-Encoding lines',
    ['Transfer-Encoding: chunked', 'Transfer-Encoding: identity'],
    chunkedInner,
    400,
  ],
  [
    'space before the colon',
    ['Transfer-Encoding : chunked', 'Content-Length: 0'],
    chunkedInner,
    400,
  ],
  ['a tab as the separator', ['Transfer-Encoding:\tchunked'], chunkedInner, 501],
  [
    'obs-fold continuation',
    ['Transfer-Encoding:', ' chunked', 'Content-Length: 0'],
    chunkedInner,
    400,
  ],
  [
    'an oversized chunk size',
    ['Transfer-Encoding: chunked'],
    `FFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n${inner}`,
    400,
  ],
  [
    'a chunk extension hiding bytes',
    ['Transfer-Encoding: chunked'],
    `2;x=${inner}\r\nab\r\n0\r\n\r\n`,
    400,
  ],
  ['a negative chunk size', ['Transfer-Encoding: chunked'], `-1\r\n${inner}`, 400],
];

describe('request smuggling shapes nginx might accept', () => {
  it.each(SMUGGLING.map(([name, framing, body, status]) => [name, status, framing, body] as const))(
    '%s, with a valid token: refused by nginx (%i); neither request reaches the upstream',
    async (_, status, framing, body) => {
      const res = await send(outer(framing, true), body);
      expect(res.responses.map((r) => r.status)).toEqual([status]);
      expect(chain.upstream.requests).toEqual([]);
    },
  );

  it('Expect: 100-continue, with a valid token: the outer request is forwarded once (empty body), the hidden one decided on its own (401)', async () => {
    const res = await send(outer(['Expect: 100-continue', 'Content-Length: 0'], true), inner);
    expect(res.responses.map((r) => r.status)).toEqual([100, 200, 401]);
    expect(chain.upstream.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'POST /api/agents ',
    ]);
    expectAliceOnly();
  });

  it('a pipelined unauthenticated request after an allowed one is decided on its own (401)', async () => {
    const res = await rawExchange(
      chain.gw.port,
      Buffer.concat([
        httpRequest(['GET /api/agents HTTP/1.1', 'Host: a', `Authorization: Bearer ${token()}`]),
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
          `Authorization: Bearer ${token()}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        ]),
        Buffer.from(`GET /api/agents/${MARK} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`),
      ]),
      { idleMs: 800 },
    );
    // The upstream's 200 ends the upgrade attempt; the pipelined request is then read as HTTP
    // and decided on its own (401, no token), never tunnelled.
    expect(res.responses.map((r) => r.status)).toEqual([200, 401]);
    expect(chain.upstream.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/agents/x/react',
    ]);
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
      `Authorization: Bearer ${token()}`,
    ]);
    expect(res.first.status).toBe(200);
  });
});
