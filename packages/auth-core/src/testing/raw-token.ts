import { createHmac } from 'node:crypto';

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export interface RawTokenOptions {
  /** HMAC hash; default sha256. */
  readonly hash?: 'sha256' | 'sha384' | 'sha512';
  /** Signature segment to use verbatim instead of computing one (e.g. '' for `alg: none`). */
  readonly signature?: string;
}

/**
 * Builds a compact JWS byte for byte, without jose: the header and payload are used exactly as
 * given (a string is taken verbatim, so key order, duplicates and odd bytes are under test control),
 * and the signature is HMAC over `header.payload` keyed by `secret` as UTF-8 bytes.
 * @example rawToken('{"alg":"HS256"}', '{"sub":"alice",...}', secret)
 */
export function rawToken(
  header: string | object | Buffer,
  payload: string | object | Buffer,
  secret: string | Uint8Array,
  options: RawTokenOptions = {},
): string {
  const text = (part: string | object | Buffer) =>
    typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part);
  const signingInput = `${b64url(text(header))}.${b64url(text(payload))}`;
  const signature =
    options.signature ??
    createHmac(options.hash ?? 'sha256', secret)
      .update(signingInput)
      .digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Claims as the platform's issuer writes them (jose4j `JwtClaims`), in its order. */
export interface PlatformClaims {
  readonly sub: string;
  readonly userId: number;
  readonly email?: string | null;
  readonly role: string;
  readonly exp: number;
  readonly googleId?: string | null;
  readonly googleAvatar?: string | null;
}

/**
 * A token exactly as the platform's Scala issuer produces it: header `{"alg":"HS256"}`, claims
 * `sub,userId,googleId,email,role,googleAvatar,exp` with nulls written out, keyed by the
 * lower-cased secret.
 * @example platformToken(secret, { sub: 'alice', userId: 7, role: 'REGULAR', exp })
 */
export function platformToken(secret: string, claims: PlatformClaims): string {
  const payload = `{"sub":${JSON.stringify(claims.sub)},"userId":${claims.userId},"googleId":${JSON.stringify(
    claims.googleId ?? null,
  )},"email":${JSON.stringify(claims.email ?? null)},"role":${JSON.stringify(claims.role)},"googleAvatar":${JSON.stringify(
    claims.googleAvatar ?? null,
  )},"exp":${claims.exp}}`;
  return rawToken('{"alg":"HS256"}', payload, secret.toLowerCase());
}
