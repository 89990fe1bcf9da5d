import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { rawToken, TEST_SECRET } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, type Running, SHAPES, send, startService } from './harness.js';

// What an attacker without the secret can make this service do: refuse (cheaply, see
// `pnpm bench`), never admit, never answer with a 5xx, never wait without bound.

let svc: Running;
const BODY_TIMEOUT_MS = 300;
beforeAll(async () => {
  svc = await startService({ bodyTimeoutMs: BODY_TIMEOUT_MS });
});
afterAll(() => svc.close());

const exp = () => Math.floor(Date.now() / 1000) + 3600;
const valid = () =>
  rawToken(
    '{"alg":"HS256"}',
    { sub: 'alice', userId: 7, role: 'REGULAR', exp: exp() },
    TEST_SECRET,
  );
/** A fresh forgery: a well-formed ADMIN token with a random signature. */
const forged = () =>
  `${rawToken('{"alg":"HS256"}', { sub: 'root', userId: 1, role: 'ADMIN', exp: exp() }, 'x').split('.').slice(0, 2).join('.')}.${randomBytes(32).toString('base64url')}`;
const ask = (token: string): Promise<Reply> =>
  send(svc.port, SHAPES.envoy('GET', '/api/agents', ['Authorization', `Bearer ${token}`]));

describe('a forged-token flood', () => {
  it('refuses every forgery with 401 ERR_TOKEN_SIGNATURE while valid tokens are still admitted', async () => {
    const statuses = { forged: new Map<string, number>(), valid: new Map<number, number>() };
    const FORGED = 2_000;
    const VALID = 100;
    const count = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
    // 16 flooding connections' worth of requests in flight, with valid ones interleaved.
    const work: Array<() => Promise<void>> = [];
    for (let i = 0; i < FORGED; i++) {
      work.push(async () => {
        const reply = await ask(forged());
        count(statuses.forged, `${reply.status} ${JSON.parse(reply.body).error?.code}`);
      });
      if (i % (FORGED / VALID) === 0) {
        work.push(async () => {
          const reply = await ask(valid());
          count(statuses.valid, reply.status);
          if (reply.status === 200) expect(reply.headers['x-user-id']).toBe('7');
        });
      }
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < work.length) await (work[next++] as () => Promise<void>)();
      }),
    );
    expect(Object.fromEntries(statuses.forged)).toEqual({ '401 ERR_TOKEN_SIGNATURE': FORGED });
    expect(Object.fromEntries(statuses.valid)).toEqual({ 200: VALID });
  });
});

/** Writes `head` and `body` raw and resolves with the status line's code (0 = closed silently). */
function stalled(head: string[], body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(svc.port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 10 s'));
    }, 10_000);
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.on('error', () => undefined);
    socket.write(`${[...head, `Host: 127.0.0.1:${svc.port}`].join('\r\n')}\r\n\r\n${body}`);
  });
}

describe('a body that never completes', () => {
  it.each([
    [
      'chunked, cut inside a chunk (Envoy shape)',
      [
        'POST /api/auth/api/agents HTTP/1.1',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ],
      '5\r\n{"tok',
    ],
    [
      'a Content-Length longer than what is sent',
      [
        'POST /api/auth/api/agents HTTP/1.1',
        'Content-Type: application/json',
        'Content-Length: 100',
      ],
      '{"token":"',
    ],
    [
      'form-encoded, chunked, no chunk at all',
      [
        'PATCH /api/auth/api/agents/1/settings HTTP/1.1',
        'Content-Type: application/x-www-form-urlencoded',
        'Transfer-Encoding: chunked',
      ],
      '',
    ],
  ])(
    'is denied with 401 after the body timeout, never a 5xx, and the connection is closed: %s',
    async (_, head, body) => {
      const answer = await stalled(head, body);
      expect(answer.status).toBe(401);
      expect(answer.text).toContain('ERR_TOKEN_MALFORMED');
      expect(answer.text.toLowerCase()).toContain('connection: close');
    },
  );

  it('still reads a slow body that completes within the timeout', async () => {
    const token = valid();
    const socket = connect(svc.port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const json = JSON.stringify({ token });
    socket.write(
      `POST /api/auth/api/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${json.length}\r\n\r\n${json.slice(0, 10)}`,
    );
    // The second half follows once the service has the first (well inside the 300 ms).
    await new Promise((r) => setTimeout(r, 20));
    socket.write(json.slice(10));
    await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
  });
});
