import { describe, expect, it, vi } from 'vitest';
import { signToken } from './sign-token.js';
import { TEST_KEY } from './testing/test-secret.js';
import { createTokenVerifier } from './token-verifier.js';
import * as verifyModule from './verify-token.js';

vi.mock('./verify-token.js', async (importOriginal) => {
  const original = await importOriginal<typeof verifyModule>();
  return {
    ...original,
    precheckToken: vi.fn(original.precheckToken),
    verifyPrechecked: vi.fn(original.verifyPrechecked),
  };
});

const key = TEST_KEY;
const NOW = Date.UTC(2026, 0, 1);

describe('createTokenVerifier', () => {
  it('verifies once and then answers from the cache', async () => {
    const verifyToken = vi.mocked(verifyModule.verifyPrechecked);
    const precheck = vi.mocked(verifyModule.precheckToken);
    verifyToken.mockClear();
    precheck.mockClear();
    const verifier = createTokenVerifier({ key, clock: () => NOW });
    const token = await signToken(
      { uid: 3, name: 'c', role: 'REGULAR' },
      { key, ttl: 600, now: NOW },
    );
    expect(verifier.peek(token)).toBeUndefined();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(verifier.peek(token)?.user.uid).toBe(3);
    expect(precheck).toHaveBeenCalledTimes(1);
    expect(verifyToken).toHaveBeenCalledTimes(1);
  });

  it('shares one signature check between concurrent verifications of a token', async () => {
    const verifyToken = vi.mocked(verifyModule.verifyPrechecked);
    const precheck = vi.mocked(verifyModule.precheckToken);
    verifyToken.mockClear();
    precheck.mockClear();
    const verifier = createTokenVerifier({ key, clock: () => NOW });
    const token = await signToken(
      { uid: 4, name: 'd', role: 'REGULAR' },
      { key, ttl: 600, now: NOW },
    );
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(new Set(results.map((r) => r.user.uid))).toEqual(new Set([4]));
    expect(precheck).toHaveBeenCalledTimes(1);
    expect(verifyToken).toHaveBeenCalledTimes(1);
  });

  it('never serves a cached token after its exp', async () => {
    let now = NOW;
    const verifier = createTokenVerifier({ key, clock: () => now });
    const token = await signToken(
      { uid: 5, name: 'e', role: 'REGULAR' },
      { key, ttl: 60, now: NOW },
    );
    await verifier.verify(token);
    now = NOW + 60_000;
    expect(verifier.peek(token)).toBeUndefined();
    now = NOW + 91_000; // beyond exp + skew: verification itself refuses it now
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('does not cache failures and stays within its bound', async () => {
    const verifier = createTokenVerifier({ key, cacheSize: 2, clock: () => NOW });
    await expect(verifier.verify('a.b.c')).rejects.toMatchObject({ code: 'ERR_TOKEN_MALFORMED' });
    expect(verifier.cacheSize).toBe(0);
    for (const uid of [1, 2, 3]) {
      await verifier.verify(
        await signToken({ uid, name: `u${uid}`, role: 'ADMIN' }, { key, ttl: 600, now: NOW }),
      );
    }
    expect(verifier.cacheSize).toBe(2);
  });

  it('keys the cache on the whole token, so a tampered copy is checked again', async () => {
    const verifier = createTokenVerifier({ key, clock: () => NOW });
    const token = await signToken(
      { uid: 6, name: 'f', role: 'REGULAR' },
      { key, ttl: 600, now: NOW },
    );
    await verifier.verify(token);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(verifier.verify(tampered)).rejects.toMatchObject({ code: 'ERR_TOKEN_SIGNATURE' });
  });

  it('refuses a forged signature in the pre-check: a rejected promise, jose never called', async () => {
    const verifyToken = vi.mocked(verifyModule.verifyPrechecked);
    verifyToken.mockClear();
    const verifier = createTokenVerifier({ key, clock: () => NOW });
    const token = await signToken(
      { uid: 7, name: 'g', role: 'REGULAR' },
      { key, ttl: 600, now: NOW },
    );
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    let answer: Promise<unknown> | undefined;
    expect(() => {
      answer = verifier.verify(forged);
    }).not.toThrow();
    await expect(answer).rejects.toMatchObject({ code: 'ERR_TOKEN_SIGNATURE' });
    expect(verifyToken).not.toHaveBeenCalled();
    expect(verifier.cacheSize).toBe(0);
    await expect(verifier.verify(token)).resolves.toMatchObject({ user: { uid: 7 } });
    expect(verifyToken).toHaveBeenCalledTimes(1);
  });
});
