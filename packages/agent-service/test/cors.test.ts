import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Harness, json, startHarness, tokenFor } from './harness.js';

const ALLOWED = 'https://texera.example';
let h: Harness;
let token = '';
beforeAll(async () => {
  h = await startHarness({ corsOrigins: [ALLOWED, 'http://localhost:5173'] });
  token = await tokenFor();
});
afterAll(() => h.close());

const preflight = (origin: string, method = 'PATCH') =>
  fetch(`${h.url}/api/agents`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'authorization, content-type',
    },
  });

describe('CORS', () => {
  it('answers a preflight from a configured origin without needing a token', async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('refuses a preflight from any other origin with 403', async () => {
    for (const origin of ['https://evil.example', 'https://texera.example.evil.com', 'null']) {
      const res = await preflight(origin);
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('vary')).toContain('Origin');
      expect(await json(res)).toMatchObject({ error: { code: 'ERR_ORIGIN_FORBIDDEN' } });
    }
  });

  it('labels answers for a configured origin only', async () => {
    const ok = await api(h, '/api/agents', { token, headers: { origin: ALLOWED } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    const denied = await api(h, '/api/agents', {
      token,
      headers: { origin: 'https://evil.example' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const unauthenticated = await api(h, '/api/agents', { headers: { origin: ALLOWED } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('allows no cross-origin caller when CORS_ORIGINS is empty', async () => {
    const closed = await startHarness();
    try {
      const res = await fetch(`${closed.url}/api/agents`, {
        method: 'OPTIONS',
        headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
      });
      expect(res.status).toBe(403);
    } finally {
      await closed.close();
    }
  });
});
