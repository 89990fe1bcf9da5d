import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { signToken } from './sign-token.js';
import { platformToken } from './testing/raw-token.js';
import { TEST_KEY, TEST_SECRET } from './testing/test-secret.js';

const key = TEST_KEY;
const NOW = Date.UTC(2026, 0, 1);

describe('signToken', () => {
  it('produces byte for byte what the platform issuer produces', async () => {
    const token = await signToken(
      { uid: 7, name: 'alice', email: 'alice@example.com', role: 'REGULAR' },
      { key, ttl: '1h', now: NOW },
    );
    const expected = platformToken(TEST_SECRET, {
      sub: 'alice',
      userId: 7,
      email: 'alice@example.com',
      role: 'REGULAR',
      exp: NOW / 1000 + 3600,
    });
    expect(token).toBe(expected);
  });

  it('uses the bare {"alg":"HS256"} header and never issues aud, iat, nbf or iss', async () => {
    const token = await signToken(
      { uid: 1, name: 'root', role: 'ADMIN' },
      { key, ttl: 60, now: NOW },
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256' });
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    expect(Object.keys(payload)).toEqual([
      'sub',
      'userId',
      'googleId',
      'email',
      'role',
      'googleAvatar',
      'exp',
    ]);
    expect(Number.isInteger(payload.exp)).toBe(true);
  });

  it('refuses an unparseable ttl with a clear sentence', async () => {
    await expect(
      signToken({ uid: 1, name: 'a', role: 'ADMIN' }, { key, ttl: 'soon' }),
    ).rejects.toThrow(/not a duration/);
  });
});
