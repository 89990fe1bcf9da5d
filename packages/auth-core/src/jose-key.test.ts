import { createSecretKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { joseKey } from './jose-key.js';
import { signToken } from './sign-token.js';
import { TEST_KEY } from './testing/test-secret.js';

describe('joseKey', () => {
  it('imports a KeyObject once as a verify-only HMAC-SHA256 CryptoKey that jose verifies with', async () => {
    const object = createSecretKey(TEST_KEY);
    const key = await joseKey(object);
    expect(joseKey(object)).toBe(joseKey(object));
    expect(await joseKey(createSecretKey(TEST_KEY))).not.toBe(key);
    expect(key.algorithm).toMatchObject({ name: 'HMAC', hash: { name: 'SHA-256' } });
    expect(key.usages).toEqual(['verify']);
    expect(key.extractable).toBe(false);
    const token = await signToken(
      { uid: 1, name: 'a', role: 'REGULAR' },
      { key: TEST_KEY, ttl: 600 },
    );
    await expect(jwtVerify(token, key)).resolves.toMatchObject({ payload: { userId: 1 } });
  });
});
