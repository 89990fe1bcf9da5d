import type { TokenVerifier } from '@agentauth/auth-core';
import { TEST_SECRET, tokenMatrix } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Running, SHAPES, send, startService } from './harness.js';

const [good, admin] = tokenMatrix(TEST_SECRET);
const bearer = (token = good?.token) => ['Authorization', `Bearer ${token}`];

describe('operations endpoints', () => {
  let service: Running;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('answers GET /api/healthcheck with {status:"ok"}', async () => {
    const reply = await send(service.port, { path: '/api/healthcheck' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ status: 'ok' });
    expect((await send(service.port, { method: 'HEAD', path: '/api/healthcheck' })).status).toBe(
      200,
    );
  });

  it('answers unknown paths, including a differently-cased /api/auth, with a JSON 404', async () => {
    for (const path of ['/nope', '/API/AUTH/api/agents', '/api/authz', '/api/auth-x']) {
      const reply = await send(service.port, { path, headers: bearer() });
      expect(reply.status).toBe(404);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
    }
  });

  it('counts decisions by outcome, reason and shape, and times them, at GET /metrics', async () => {
    await send(service.port, SHAPES.envoy('GET', '/api/agents', bearer()));
    await send(service.port, SHAPES.envoy('GET', '/api/agents', bearer()));
    await send(service.port, SHAPES.nginx('PATCH', '/api/agents/1/settings', bearer(admin?.token)));
    await send(service.port, SHAPES.nginx('GET', '/api/agents'));
    await send(service.port, SHAPES.envoy('GET', '/api/agentsX', bearer()));
    const reply = await send(service.port, { path: '/metrics' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/plain');
    expect(reply.body).toContain('decisions_total{outcome="allow",reason="ok",shape="envoy"} 2');
    expect(reply.body).toContain('decisions_total{outcome="allow",reason="ok",shape="nginx"} 1');
    expect(reply.body).toContain(
      'decisions_total{outcome="deny",reason="ERR_TOKEN_MISSING",shape="nginx"} 1',
    );
    expect(reply.body).toContain(
      'decisions_total{outcome="deny",reason="ERR_PATH_NOT_GOVERNED",shape="envoy"} 1',
    );
    expect(reply.body).toMatch(
      /decision_duration_seconds_count\{outcome="allow",shape="envoy"\} 2/,
    );
    expect(reply.body).toContain('# TYPE decision_duration_seconds histogram');
  });
});

describe('the authorize endpoint never answers 5xx', () => {
  it.each([
    ['a verifier that rejects with a non-auth error', () => Promise.reject(new RangeError('x'))],
    [
      'a verifier that throws synchronously',
      () => {
        throw new Error('sync');
      },
    ],
    ['a verifier that resolves to garbage', () => Promise.resolve(undefined as never)],
  ])('with %s, for both shapes and every method', async (_name, verify) => {
    const verifier: TokenVerifier = { peek: () => undefined, verify, cacheSize: 0 };
    const service = await startService({ verifier });
    try {
      for (const method of ['GET', 'HEAD', 'POST', 'PATCH', 'OPTIONS']) {
        for (const shape of [SHAPES.envoy, SHAPES.nginx]) {
          const reply = await send(service.port, shape(method, '/api/agents', bearer()));
          expect(reply.status).toBe(401);
        }
      }
      const metrics = await send(service.port, { path: '/metrics' });
      expect(metrics.body).toContain(
        'decisions_total{outcome="error",reason="ERR_TOKEN_MALFORMED",shape="envoy"} 5',
      );
    } finally {
      await service.close();
    }
  });
});
