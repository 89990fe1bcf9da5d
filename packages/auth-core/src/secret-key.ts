/**
 * The HMAC key for a secret, keyed the way the platform's issuer keys it: the UTF-8 bytes of the
 * lower-cased secret. Every verifier, signer and test derives its key through this one rule.
 * @example createTokenVerifier({ key: secretKey(process.env.AUTH_JWT_SECRET ?? '') })
 */
export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret.toLowerCase());
}
