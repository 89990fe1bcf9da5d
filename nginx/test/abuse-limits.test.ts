import { request } from 'node:http';
import { connect } from 'node:net';
import { identityHeadersFor } from '@agentauth/auth-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';

// The per-client limits and slow-client timeouts of the gateway, with small values so each limit
// is reached in a few requests. Every client address is a different 127.x address, which nginx
// keys its limits on.

const ALICE = { uid: 7, name: 'alice', email: 'alice@example.com', role: 'REGULAR' } as const;
const LIMITS = {
  connectionsPerClient: 3,
  unauthenticatedRate: 1,
  unauthenticatedBurst: 2,
  clientHeaderTimeout: 2,
  clientBodyTimeout: 1,
} as const;

let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;
/** Paths the access-control-service stand-in never answers (the request stays open at nginx). */
const HANG = '/api/agents/hang';

beforeAll(async () => {
  acs = await startRecordingServer((r) =>
    r.headers['x-original-uri'] === HANG
      ? 'hang'
      : r.headers.authorization || String(r.headers['x-original-uri']).includes('access-token=')
        ? { status: 200, headers: identityHeadersFor(ALICE) }
        : { status: 401, headers: { 'www-authenticate': 'Bearer realm="agentauth"' } },
  );
  agent = await startRecordingServer(() => ({ status: 200, body: '{"ok":true}' }));
  gw = await startGateway({
    accessControlService: acs.address,
    agentService: agent.address,
    ...LIMITS,
  });
});

afterAll(async () => {
  await gw?.stop();
  await acs?.close();
  await agent?.close();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request from `from` (a loopback address), on its own connection. */
function send(
  from: string,
  path: string,
  headers: Record<string, string> = {},
  onRequest?: (abort: () => void) => void,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: gw.port, localAddress: from, path, headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${path} got no answer in 15 s`)));
    req.end();
    onRequest?.(() => req.destroy());
  });
}

const bearer = { authorization: 'Bearer some.valid.token' };

describe('credential-less request rate per client address', () => {
  it('answers 429 with Retry-After and ERR_RATE_LIMITED once the burst is used, without calling either service', async () => {
    const from = '127.0.0.11';
    const asked = acs.requests.length;
    const forwarded = agent.requests.length;
    const answers: Answer[] = [];
    for (let i = 0; i < 8; i++) answers.push(await send(from, '/api/agents'));
    const limited = answers.filter((a) => a.status === 429);
    // rate 1/s with a burst of 2: at most 3 (+1 if a second boundary passes) get through.
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(answers.filter((a) => a.status !== 429).every((a) => a.status === 401)).toBe(true);
    const one = limited[0] as Answer;
    expect(one.headers['retry-after']).toBe('1');
    expect(one.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(one.body)).toEqual({
      error: { code: 'ERR_RATE_LIMITED', message: expect.any(String) },
    });
    // Only the requests within the limit were decided; none reached the agent-service.
    expect(acs.requests.length - asked).toBe(answers.length - limited.length);
    expect(agent.requests.length - forwarded).toBe(0);
  });

  it('does not limit requests that carry credentials from the same address', async () => {
    const from = '127.0.0.12';
    for (let i = 0; i < 6; i++) await send(from, '/api/agents');
    expect((await send(from, '/api/agents')).status).toBe(429);
    const withToken = await Promise.all(
      Array.from({ length: 3 }, () => send(from, '/api/agents', bearer)),
    );
    expect(withToken.map((a) => a.status)).toEqual([200, 200, 200]);
    const withQuery = await send(from, '/api/agents?access-token=some.valid.token');
    expect(withQuery.status).toBe(200);
    const encodedName = await send(from, '/api/agents?x=1&%61ccess%2Dtoken=some.valid.token');
    expect(encodedName.status).not.toBe(429);
    // A WebSocket's bearer subprotocol entry is a credential too (the authorize call judges it).
    const withProtocol = await send(from, '/api/agents', {
      'sec-websocket-protocol': 'agentauth.v1, base64url.bearer.authorization.agentauth.c29tZQ',
    });
    expect(withProtocol.status).not.toBe(429);
  });

  it('limits each address on its own', async () => {
    for (let i = 0; i < 6; i++) await send('127.0.0.13', '/api/agents');
    expect((await send('127.0.0.13', '/api/agents')).status).toBe(429);
    expect((await send('127.0.0.14', '/api/agents')).status).toBe(401);
  });

  it('never limits the web app itself', async () => {
    const answers = await Promise.all(Array.from({ length: 3 }, () => send('127.0.0.15', '/')));
    for (let i = 0; i < 3; i++) answers.push(await send('127.0.0.15', '/'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('concurrent requests per client address', () => {
  it('answers 429 past the cap while the open ones continue, and frees the slot when one ends', async () => {
    const from = '127.0.0.21';
    const aborts: Array<() => void> = [];
    const held = Array.from({ length: LIMITS.connectionsPerClient }, () =>
      send(from, HANG, bearer, (abort) => aborts.push(abort)).catch(() => undefined),
    );
    // Wait until nginx has all of them at the (hanging) authorize call.
    const deadline = Date.now() + 5_000;
    while (acs.requests.filter((r) => r.headers['x-original-uri'] === HANG).length < 3) {
      if (Date.now() > deadline) throw new Error('the held requests never reached the authorizer');
      await new Promise((r) => setTimeout(r, 20));
    }
    const over = await send(from, '/api/agents', bearer);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe('1');
    expect(JSON.parse(over.body).error.code).toBe('ERR_RATE_LIMITED');
    // Another address is not affected.
    expect((await send('127.0.0.22', '/api/agents', bearer)).status).toBe(200);
    for (const abort of aborts) abort();
    await Promise.all(held);
    // nginx notices the aborted clients and frees their slots.
    let status = 0;
    const freed = Date.now() + 5_000;
    while (status !== 200 && Date.now() < freed) {
      status = (await send(from, '/api/agents', bearer)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
  });
});

describe('slow clients', () => {
  it('closes a connection that drips header lines past the header timeout', async () => {
    const socket = connect({ host: '127.0.0.1', port: gw.port, localAddress: '127.0.0.31' });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /api/agents HTTP/1.1\r\nHost: gateway.test\r\n');
    let dripped = 0;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // One header line every 300 ms for up to 30 lines (9 s) — longer than the 2 s header timeout.
    const drip = (async () => {
      for (; dripped < 30 && !socket.destroyed; dripped++) {
        socket.write(`X-Drip-${dripped}: x\r\n`);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    await Promise.race([closed, drip]);
    expect(socket.destroyed || socket.readableEnded).toBe(true);
    expect(dripped).toBeLessThan(30);
    await drip;
  });

  it('drops an allowed request whose body stalls past the body timeout, and forwards nothing', async () => {
    const forwarded = agent.requests.length;
    const socket = connect({ host: '127.0.0.1', port: gw.port, localAddress: '127.0.0.32' });
    socket.on('error', () => undefined);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      'POST /api/agents HTTP/1.1\r\nHost: gateway.test\r\nAuthorization: Bearer some.valid.token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"tok',
    );
    let gaveUp = false;
    const bounded = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, 10_000);
    await closed;
    clearTimeout(bounded);
    // nginx ends a timed-out request without an answer (a reset: reset_timedout_connection).
    expect(gaveUp).toBe(false);
    expect(text === '' || /^HTTP\/1\.1 408/.test(text)).toBe(true);
    expect(agent.requests.length - forwarded).toBe(0);
  });
});
