import { bearerProtocol } from '@agentauth/auth-core';
import { tokenParamSpellings } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

// Every way the gateway refuses an agent request, each driven with a token in the query (every
// spelling of its name), in Authorization, in a bearer subprotocol entry and in the Referer, with
// a normal, a malformed chunked and an oversized body. nginx writes the request line (query
// included) into every error-log entry, so no location on these paths may log below crit.

const QUERY = 'eyJhbGciOiJIUzI1NiJ9.cXVlcnktdG9rZW4tbGVhaw.c2lnbmF0dXJlLXF1ZXJ5LWxlYWs';
const HEADER = 'eyJhbGciOiJIUzI1NiJ9.aGVhZGVyLXRva2VuLWxlYWs.c2lnbmF0dXJlLWhlYWRlci1sZWFr';
const PROTOCOL = 'eyJhbGciOiJIUzI1NiJ9.cHJvdG9jb2wtdG9rZW4tbGVhaw.c2lnbmF0dXJlLXByb3RvY29s';
const TOKENS = [QUERY, HEADER, PROTOCOL];

/** The token and every long piece of it, so a partly-logged token still counts as a leak. */
const pieces = (token: string) => [
  token,
  ...token.split('.').filter((p) => p.length >= 16),
  bearerProtocol(token).split('.').at(-1) as string,
];

// The fake access-control-service answers by the path it is asked about.
const ANSWER: Record<string, number> = { deny401: 401, deny403: 403, fail500: 500, allow: 200 };

let acs: RecordingServer;
let gw: RunningGateway;
let downGw: RunningGateway;

beforeAll(async () => {
  acs = await startRecordingServer((r) => {
    const which = /\/api\/agents\/([a-z0-9]+)/.exec(String(r.headers['x-original-uri']))?.[1];
    return { status: ANSWER[which ?? ''] ?? 401 };
  });
  // A closed port: the agent-service (and, for downGw, the authorize call) is unreachable.
  const closed = await startRecordingServer(() => ({ status: 200 }));
  await closed.close();
  gw = await startGateway({ accessControlService: acs.address, agentService: closed.address });
  downGw = await startGateway({
    accessControlService: closed.address,
    agentService: closed.address,
  });
}, 30_000);

afterAll(async () => {
  await gw?.stop();
  await downGw?.stop();
  await acs?.close();
});

type Body = { name: string; lines: string[]; body: string };
const BODIES: Body[] = [
  { name: 'no body', lines: [], body: '' },
  { name: 'a malformed chunked body', lines: ['Transfer-Encoding: chunked'], body: 'zz\r\n\r\n' },
  { name: 'an oversized body', lines: ['Content-Length: 5000000'], body: '' },
];

async function drive(port: number, paths: readonly string[]): Promise<number[]> {
  const all = tokenParamSpellings();
  // Every spelling without a body; a sample of them (first, one-character, all encoded) with one.
  const sample = [all[0], all[1], all.at(-1)] as string[];
  const requests: Array<{ head: string[]; body: string }> = [];
  for (const path of paths)
    for (const { lines, body } of BODIES)
      for (const name of body || lines.length ? sample : all)
        for (const websocket of [false, true]) {
          const target = `${path}${websocket ? '/react' : ''}?x=1&${name}=${QUERY}`;
          requests.push({
            body,
            head: [
              `${body || lines.length ? 'POST' : 'GET'} ${target} HTTP/1.1`,
              'Host: t',
              `Authorization: Bearer ${HEADER}`,
              `Sec-WebSocket-Protocol: agentauth.react.v1, ${bearerProtocol(PROTOCOL)}`,
              `Referer: http://t/?access-token=${QUERY}`,
              ...(websocket ? WEBSOCKET : []),
              ...lines,
            ],
          });
        }
  // Concurrently: nginx lingers on a refused oversized body before it closes the connection.
  const replies = await Promise.all(
    requests.map(({ head, body }) =>
      // nginx may close the connection on a broken body before a full answer: that is fine.
      rawRequest(port, head, body, 15_000).then(
        (r) => r.status,
        () => undefined,
      ),
    ),
  );
  return replies.filter((s) => s !== undefined);
}

const WEBSOCKET = [
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

describe('every refusal path with a token in the query, headers and subprotocol', () => {
  it('writes no token to the error log or the access log', async () => {
    const refused = await drive(gw.port, [
      '/api/agents/deny401', // → @agentauth_401
      '/api/agents/deny403', // → @agentauth_403
      '/api/agents/fail500', // → @agentauth_authorize_failed
      '/api/agents/allow', // allowed, agent-service down → @agentauth_agent_unavailable
      '/api/other', // not served here: 404
    ]);
    const down = await drive(downGw.port, ['/api/agents', '/api/agents/1']);
    // Every refusal kind was really reached (so the logs below had every chance to leak).
    expect(new Set([...refused, ...down])).toEqual(new Set([400, 401, 403, 404, 413, 502, 503]));
    expect(acs.requests.length).toBeGreaterThan(0);
    for (const g of [gw, downGw]) {
      const logs = { access: g.accessLog(), error: g.errorLog() };
      expect(logs.access.length).toBeGreaterThan(0);
      for (const [which, text] of Object.entries(logs))
        for (const token of TOKENS)
          for (const piece of pieces(token))
            expect(text, `${which} log holds a token piece`).not.toContain(piece);
      expect(logs.error).not.toMatch(/request: "/);
    }
  }, 60_000);

  it('forwards the subprotocol list (a token source) to the authorize call', () => {
    const seen = acs.requests.map((r) => r.headers['sec-websocket-protocol']);
    expect(seen.every((p) => p === `agentauth.react.v1, ${bearerProtocol(PROTOCOL)}`)).toBe(true);
  });
});
