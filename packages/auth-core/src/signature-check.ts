import { createHmac, createSecretKey, KeyObject, timingSafeEqual } from 'node:crypto';
import { AuthError } from './errors.js';

/**
 * The HMAC key as a Node KeyObject, imported once: the pre-check below uses it, and `joseKey`
 * turns it into jose's CryptoKey once (raw bytes would be imported again on every call).
 * @example const key = importHmacKey(secret.key)
 */
export function importHmacKey(key: Uint8Array | KeyObject): KeyObject {
  return key instanceof KeyObject ? key : createSecretKey(key);
}

/**
 * True when the compact JWS's third segment is the HMAC-SHA256 of its first two under `key`,
 * compared in constant time. A cheap refusal for forged tokens before the full verification
 * (jose stays the verifier of record for every token this lets through); it is not a verifier.
 * @example if (!signatureMatches(token, key)) throw new AuthError('ERR_TOKEN_SIGNATURE')
 */
export function signatureMatches(token: string, key: KeyObject): boolean {
  const dot = token.lastIndexOf('.');
  if (dot < 0) return false;
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', key).update(token.slice(0, dot)).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The refusal of a forged signature, built without a stack trace: capturing one (through the
 * awaits above it) costs about as much as the HMAC itself, and a refusal is an expected "no"
 * whose stack says nothing. Used only on the pre-check path, which a flood hits.
 * @example if (!signatureMatches(token, key)) throw forgedSignature()
 */
export function forgedSignature(): AuthError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new AuthError('ERR_TOKEN_SIGNATURE');
  } finally {
    Error.stackTraceLimit = limit;
  }
}
