import { loadSecret, signToken } from '@agentauth/auth-core';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectHardened, SERVICE_USER, startHealthy } from './support.js';

// The access-control-service image, run as the chart runs it (values.yaml: uid 1000, read-only
// root, tmpfs /tmp, no capabilities, no privilege escalation, 256 MiB).
const SECRET = 'images-test-secret-0123456789abcdef-0123456789';
let started: Awaited<ReturnType<typeof startHealthy>>;

beforeAll(async () => {
  started = await startHealthy(
    {
      image: inject('images')['access-control-service'],
      user: SERVICE_USER,
      memory: '256m',
      env: { AUTH_JWT_SECRET: SECRET },
    },
    '/api/healthcheck',
  );
});

const token = async (role: 'REGULAR' | 'RESTRICTED') =>
  signToken(
    { uid: 7, name: 'alice', email: 'alice@example.org', role },
    { key: (await loadSecret({ AUTH_JWT_SECRET: SECRET })).key, ttl: '5m' },
  );

describe('the access-control-service image', () => {
  it('runs non-root, read-only, without capabilities or new privileges, under its memory limit', () => {
    expectHardened(started.container, '1000', 256 * 1024 * 1024);
  });

  it('allows a REGULAR user on an agent path with the identity headers', async () => {
    const res = await fetch(`${started.origin}/api/auth/api/agents`, {
      headers: { authorization: `Bearer ${await token('REGULAR')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-user-id')).toBe('7');
    expect(res.headers.get('x-user-name')).toBe('alice');
  });

  it('denies a RESTRICTED user (403) and a request without a token (401)', async () => {
    const restricted = await fetch(`${started.origin}/api/auth/api/agents`, {
      headers: { authorization: `Bearer ${await token('RESTRICTED')}` },
    });
    expect(restricted.status).toBe(403);
    const anonymous = await fetch(`${started.origin}/api/auth/api/agents`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('never logs the secret', () => {
    expect(started.container.logs()).not.toContain(SECRET);
  });
});
