import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.js';
import { secretKey } from './secret-key.js';
import { signToken } from './sign-token.js';
import { rawToken } from './testing/raw-token.js';
import { TEST_KEY, TEST_SECRET } from './testing/test-secret.js';
import { tokenMatrix } from './testing/token-matrix.js';
import { verifyToken } from './verify-token.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const key = TEST_KEY;

async function outcome(token: string, now = NOW) {
  try {
    const { user } = await verifyToken(token, key, { now });
    return { status: user.role === 'REGULAR' || user.role === 'ADMIN' ? 200 : 403, user } as const;
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    return { status: 401, code: error.code } as const;
  }
}

describe('verifyToken', () => {
  describe.each(tokenMatrix(TEST_SECRET, NOW))('given $name', (row) => {
    it(`answers ${row.status}${row.code ? ` ${row.code}` : ''}`, async () => {
      const result = await outcome(row.token);
      expect(result.status).toBe(row.status);
      if (row.status === 200) expect(result).toMatchObject({ user: row.user });
      if (row.status === 401) expect(result).toMatchObject({ code: row.code });
      if (row.status === 403) {
        // A forbidden role still verifies: the role rule, not the verifier, refuses it.
        expect(result).toMatchObject({
          user: { role: expect.stringMatching(/INACTIVE|RESTRICTED/) },
        });
      }
    });
  });

  it('verifies a golden vector built byte for byte like the Scala issuer', async () => {
    // Built here by hand: base64url(header) "." base64url(payload) "." HMAC-SHA256(lower-cased secret).
    const header = Buffer.from('{"alg":"HS256"}').toString('base64url');
    const payload = Buffer.from(
      '{"sub":"alice","userId":7,"googleId":null,"email":"alice@example.com","role":"REGULAR","googleAvatar":null,"exp":1795867200}',
    ).toString('base64url');
    const secret = 'Mixed-Case-Secret-For-Golden-Vector-0123456789';
    const signature = createHmac('sha256', Buffer.from(secret.toLowerCase(), 'utf8'))
      .update(`${header}.${payload}`)
      .digest('base64url');
    const token = `${header}.${payload}.${signature}`;
    expect(header).toBe('eyJhbGciOiJIUzI1NiJ9');
    const verified = await verifyToken(token, secretKey(secret), {
      now: 1795867200_000 - 60_000,
    });
    expect(verified).toEqual({
      user: { uid: 7, name: 'alice', email: 'alice@example.com', role: 'REGULAR' },
      exp: 1795867200,
    });
  });

  it('rejects a token exactly 30 s past exp and accepts one 29 s past', async () => {
    const token = await signToken({ uid: 1, name: 'a', role: 'ADMIN' }, { key, ttl: 0, now: NOW });
    await expect(outcome(token, NOW + 29_000)).resolves.toMatchObject({ status: 200 });
    await expect(outcome(token, NOW + 30_000)).resolves.toMatchObject({
      status: 401,
      code: 'ERR_TOKEN_EXPIRED',
    });
  });

  it('rejects a name or email holding a lone UTF-16 surrogate, which no identity header can carry', async () => {
    const exp = NOW / 1000 + 3600;
    const sign = (claims: string) => rawToken('{"alg":"HS256"}', `{${claims},"exp":${exp}}`, key);
    for (const claims of [
      '"sub":"x\\ud800","userId":7,"role":"REGULAR"',
      '"sub":"\\udc00x","userId":7,"role":"REGULAR"',
      '"sub":"alice","userId":7,"role":"REGULAR","email":"a\\ud83d@example.com"',
    ]) {
      await expect(outcome(sign(claims))).resolves.toEqual({
        status: 401,
        code: 'ERR_TOKEN_CLAIMS',
      });
    }
    // a well-formed surrogate pair (an emoji) is fine
    await expect(
      outcome(sign('"sub":"al\\ud83d\\ude00ce","userId":7,"role":"REGULAR"')),
    ).resolves.toMatchObject({ status: 200, user: { name: 'al😀ce' } });
  });

  it('never puts the token in an error message', async () => {
    for (const row of tokenMatrix(TEST_SECRET, NOW).filter((r) => r.status === 401)) {
      const error = await verifyToken(row.token, key, { now: NOW }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      const text = `${(error as Error).message} ${String(error)} ${JSON.stringify(error)}`;
      for (const part of row.token.split('.').filter((p) => p.length > 8))
        expect(text).not.toContain(part);
    }
  });
});
