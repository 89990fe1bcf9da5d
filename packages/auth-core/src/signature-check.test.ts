import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError, isAuthError } from './errors.js';
import { forgedSignature, importHmacKey, signatureMatches } from './signature-check.js';
import { rawToken } from './testing/raw-token.js';

const SECRET = 'a-test-secret-that-is-long-enough-1234';
const key = importHmacKey(new TextEncoder().encode(SECRET));
const token = rawToken('{"alg":"HS256"}', { sub: 'a', userId: 1, role: 'REGULAR', exp: 9 }, SECRET);
const [head, body, signature] = token.split('.') as [string, string, string];

describe('signatureMatches', () => {
  it('accepts the HMAC-SHA256 signature of the signing input', () => {
    expect(signatureMatches(token, key)).toBe(true);
  });

  it.each([
    ['another secret', rawToken('{"alg":"HS256"}', { sub: 'a' }, 'another-secret-of-some-length')],
    ['a changed payload', `${head}.${body}x.${signature}`],
    ['a truncated signature', `${head}.${body}.${signature.slice(0, -2)}`],
    ['a longer signature', `${head}.${body}.${signature}AAAA`],
    ['an empty signature', `${head}.${body}.`],
    ['no segments at all', 'nodots'],
  ])('refuses %s', (_, forged) => {
    expect(signatureMatches(forged, key)).toBe(false);
  });

  it('imports raw bytes once and passes a KeyObject through', () => {
    const imported = createSecretKey(new TextEncoder().encode(SECRET));
    expect(importHmacKey(imported)).toBe(imported);
    expect(importHmacKey(new TextEncoder().encode(SECRET)).type).toBe('secret');
  });
});

describe('forgedSignature', () => {
  it('is the ERR_TOKEN_SIGNATURE AuthError, and leaves the stack trace limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const error = forgedSignature();
    expect(error).toBeInstanceOf(AuthError);
    expect(isAuthError(error)).toBe(true);
    expect(error.code).toBe('ERR_TOKEN_SIGNATURE');
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
