import { LRUCache } from 'lru-cache';
import { AuthError } from './errors.js';
import type { VerifiedToken } from './session-user.js';
import { importHmacKey } from './signature-check.js';
import { precheckToken, verifyPrechecked } from './verify-token.js';

export interface TokenVerifierOptions {
  /** HMAC key: the UTF-8 bytes of the lower-cased shared secret (see `loadSecret`). */
  readonly key: Uint8Array;
  /** Most verified tokens kept; 0 turns the cache off. Default 10,000. */
  readonly cacheSize?: number;
  /** Clock in milliseconds since the epoch; tests freeze it. Default `Date.now`. */
  readonly clock?: () => number;
}

/** Verifies tokens, remembering good ones until they expire. */
export interface TokenVerifier {
  /** Verifies a token (from the cache when it was verified before and has not expired). */
  verify(token: string): Promise<VerifiedToken>;
  /** The cached result for a token, without verifying; undefined on a miss. */
  peek(token: string): VerifiedToken | undefined;
  /** Number of cached tokens. */
  readonly cacheSize: number;
}

/**
 * Builds a verifier with a bounded cache keyed on the whole token. A cached entry never outlives
 * the token's `exp`, failures are never cached, and concurrent verifications of one token share
 * one signature check.
 * @example
 * const verifier = createTokenVerifier({ key: secret.key });
 * const { user } = await verifier.verify(token);
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { cacheSize = 10_000, clock = Date.now } = options;
  // Imported once for every verification this verifier makes.
  const key = importHmacKey(options.key);
  const cache = cacheSize > 0 ? new LRUCache<string, VerifiedToken>({ max: cacheSize }) : undefined;
  const pending = new Map<string, Promise<VerifiedToken>>();

  const peek = (token: string): VerifiedToken | undefined => {
    const hit = cache?.get(token);
    if (hit === undefined) return undefined;
    if (hit.exp * 1000 <= clock()) {
      cache?.delete(token);
      return undefined;
    }
    return hit;
  };

  const verify = (token: string): Promise<VerifiedToken> => {
    const hit = peek(token);
    if (hit) return Promise.resolve(hit);
    const running = pending.get(token);
    if (running) return running;
    // The pre-check runs here, synchronously: a forged token is refused for about one HMAC,
    // before any promise, pending entry or cache write exists for it.
    const checked = precheckToken(token, key);
    if (checked instanceof AuthError) return Promise.reject(checked);
    const work = verifyPrechecked(checked, { now: clock() })
      .then((verified) => {
        if (verified.exp * 1000 > clock()) cache?.set(token, verified);
        return verified;
      })
      .finally(() => pending.delete(token));
    pending.set(token, work);
    return work;
  };

  return {
    verify,
    peek,
    get cacheSize() {
      return cache?.size ?? 0;
    },
  };
}
