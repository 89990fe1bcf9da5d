import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityHeadersFor } from '../identity-headers.js';
import type { SessionUser } from '../session-user.js';
import { TEST_KEY, TEST_SECRET } from '../testing/test-secret.js';
import { tokenMatrix } from '../testing/token-matrix.js';
import { createTokenVerifier } from '../token-verifier.js';
import { authOf, requireAuth } from './require-auth.js';

const key = TEST_KEY;
let base = '';
let close = () => {};

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use('/api/agents', requireAuth({ verifier: createTokenVerifier({ key }) }));
  app.all('/api/agents', (_req, res) => {
    res.json(authOf(res).user);
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('requireAuth over real HTTP', () => {
  describe.each(tokenMatrix(TEST_SECRET))('given $name', (row) => {
    it(`answers ${row.status}`, async () => {
      const res = await fetch(`${base}/api/agents`, {
        headers: { authorization: `Bearer ${row.token}` },
      });
      expect(res.status).toBe(row.status);
      const body = await res.text();
      expect(body).not.toContain(row.token);
      if (row.status === 200) expect(JSON.parse(body)).toEqual(row.user);
      else
        expect(JSON.parse(body)).toEqual({
          error: { code: row.code, message: expect.any(String) },
        });
      expect(Boolean(res.headers.get('www-authenticate'))).toBe(row.status === 401);
    });
  });

  it('accepts the token from the query and from a JSON body', async () => {
    const good = tokenMatrix(TEST_SECRET)[0]?.token ?? '';
    expect((await fetch(`${base}/api/agents?access-token=${good}`)).status).toBe(200);
    const post = await fetch(`${base}/api/agents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: good }),
    });
    expect(post.status).toBe(200);
  });

  it('refuses two different tokens and gateway headers that disagree with the token', async () => {
    const [a, b] = tokenMatrix(TEST_SECRET);
    const both = await fetch(`${base}/api/agents?access-token=${a?.token}`, {
      headers: { authorization: `Bearer ${b?.token}` },
    });
    expect(both.status).toBe(401);
    expect(await both.json()).toMatchObject({ error: { code: 'ERR_TOKEN_AMBIGUOUS' } });
    const spoofed = await fetch(`${base}/api/agents`, {
      headers: {
        authorization: `Bearer ${a?.token}`,
        ...identityHeadersFor({ ...(a?.user as SessionUser), uid: 1 }),
      },
    });
    expect(spoofed.status).toBe(401);
    expect(await spoofed.json()).toMatchObject({ error: { code: 'ERR_IDENTITY_MISMATCH' } });
    const matching = await fetch(`${base}/api/agents`, {
      headers: {
        authorization: `Bearer ${a?.token}`,
        ...identityHeadersFor(a?.user as SessionUser),
      },
    });
    expect(matching.status).toBe(200);
  });

  // Node keeps only the first `Authorization` in `req.headers`; the second token must still count.
  it('refuses two Authorization headers with different tokens instead of using the first', async () => {
    const [a, b] = tokenMatrix(TEST_SECRET);
    const statusOf = (authorization: string[]) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}/api/agents`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.setHeader('authorization', authorization); // one header line per value
        req.on('error', reject).end();
      });
    expect(await statusOf([`Bearer ${a?.token}`, `Bearer ${b?.token}`])).toBe(401);
    expect(await statusOf([`Bearer ${a?.token}`, 'Bearer garbage'])).toBe(401);
    expect(await statusOf([`Bearer ${a?.token}`, `Bearer ${a?.token}`])).toBe(200);
  });
});
