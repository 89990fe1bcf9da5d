import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { AuthError } from './errors.js';
import { joseKey } from './jose-key.js';
import { refuseHeaderJose4jReadsDifferently, refuseWhatJose4jRefuses } from './jose4j-claims.js';
import { type JsonMembers, scanJsonMembers } from './json-members.js';
import { isRole } from './roles.js';
import type { VerifiedToken } from './session-user.js';
import { forgedSignature, importHmacKey, signatureMatches } from './signature-check.js';
import {
  CLOCK_SKEW_SECONDS,
  MAX_TOKEN_LENGTH,
  MAX_UID,
  MIN_UID,
  TOKEN_ALGORITHM,
} from './token-format.js';

export interface VerifyOptions {
  /** Current time in milliseconds since the epoch; tests freeze it. Defaults to `Date.now()`. */
  readonly now?: number;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// JSON can spell a lone UTF-16 surrogate ("\ud800"), which has no UTF-8 form: such a name or email
// could never be written into an identity header (encodeURIComponent throws), and the platform's
// issuer never writes one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A token that passed the synchronous pre-check: its shape, its header and its HMAC. Not yet
 * verified: jose still checks it in full before anything reads its claims.
 */
export interface PrecheckedToken {
  readonly token: string;
  readonly key: KeyObject;
  readonly payloadPart: string;
}

/**
 * Verifies a compact JWS the way the platform's verifier does and returns its session user.
 * Throws an {@link AuthError} whose `code` says why a token is refused. Pass the key as a
 * KeyObject (`importHmacKey`) when verifying many tokens: raw bytes are imported on every call.
 * @example const { user } = await verifyToken(token, key); user.role // 'REGULAR'
 */
export async function verifyToken(
  token: string,
  key: Uint8Array | KeyObject,
  options: VerifyOptions = {},
): Promise<VerifiedToken> {
  const checked = precheckToken(token, importHmacKey(key));
  if (checked instanceof AuthError) throw checked;
  return verifyPrechecked(checked, options);
}

/**
 * The synchronous first half of {@link verifyToken}: the refusal of a token whose shape, header
 * or HMAC is wrong (the code verifyToken would throw), returned rather than thrown, and for a
 * forged signature built without a stack trace: a flood of forgeries costs about one HMAC each.
 * No verdict is cached; only header segments that passed are remembered (see below).
 * @example const checked = precheckToken(token, key); if (!(checked instanceof AuthError)) …
 */
export function precheckToken(token: string, key: KeyObject): PrecheckedToken | AuthError {
  const headerEnd = token.indexOf('.');
  try {
    checkShapeAndHeader(token, headerEnd);
  } catch (refusal) {
    if (refusal instanceof AuthError) return refusal;
    throw refusal;
  }
  // After the shape and header checks (an HS512 or alg-none token keeps its own code) and before
  // the payload is decoded (a forgery is not worth parsing).
  if (!signatureMatches(token, key)) return forgedSignature();
  return { token, key, payloadPart: token.slice(headerEnd + 1, token.lastIndexOf('.')) };
}

// Every token the platform issues has the same header segment, and a flood usually copies it.
// The header checks are a pure function of that segment, so the few segments that passed them
// are remembered and not parsed again; a refused header is never remembered, and a bounded LRU
// means headers made up to push ours out cost only the parse they would have cost anyway.
const acceptedHeaders = new LRUCache<string, true>({ max: 16 });

function checkShapeAndHeader(token: string, headerEnd: number): void {
  if (token.length > MAX_TOKEN_LENGTH) throw new AuthError('ERR_TOKEN_TOO_LARGE');
  if (!COMPACT_JWS.test(token)) throw new AuthError('ERR_TOKEN_MALFORMED');
  const headerPart = token.slice(0, headerEnd);
  if (acceptedHeaders.get(headerPart)) return;
  const { value: header } = decodeSegment(headerPart);
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new AuthError('ERR_TOKEN_MALFORMED');
  }
  if ((header as { alg?: unknown }).alg !== TOKEN_ALGORITHM) {
    throw new AuthError('ERR_TOKEN_ALGORITHM');
  }
  refuseHeaderJose4jReadsDifferently(header as Record<string, unknown>);
  acceptedHeaders.set(headerPart, true);
}

/**
 * The second half of {@link verifyToken}: jose's full verification (the verifier of record for
 * every token accepted), then the platform's claim rules.
 * @example const checked = precheckToken(token, key); if (!(checked instanceof AuthError)) await verifyPrechecked(checked)
 */
export async function verifyPrechecked(
  checked: PrecheckedToken,
  options: VerifyOptions = {},
): Promise<VerifiedToken> {
  const { members } = decodeSegment(checked.payloadPart);
  let payload: Record<string, unknown>;
  const now = options.now ?? Date.now();
  try {
    ({ payload } = await jwtVerify(checked.token, await joseKey(checked.key), {
      algorithms: [TOKEN_ALGORITHM],
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: new Date(now),
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (error) {
    throw translateJoseError(error);
  }
  refuseWhatJose4jRefuses(payload, members, Math.floor(now / 1000));
  return readClaims(payload);
}

function decodeSegment(segment: string): { value: unknown; members: JsonMembers } {
  let text: string;
  let value: unknown;
  const bytes = Buffer.from(segment, 'base64url');
  // TextDecoder drops a leading UTF-8 byte-order mark; jose4j's JSON parser refuses one.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new AuthError('ERR_TOKEN_MALFORMED');
  try {
    text = utf8.decode(bytes);
    value = JSON.parse(text);
  } catch (cause) {
    throw new AuthError('ERR_TOKEN_MALFORMED', { cause });
  }
  const members = scanJsonMembers(text);
  if (members.duplicateKey) throw new AuthError('ERR_TOKEN_MALFORMED');
  return { value, members };
}

function readClaims(payload: Record<string, unknown>): VerifiedToken {
  const { sub, userId, email, role, exp, aud } = payload;
  // jose4j refuses any `aud` when no audience is expected; the platform never issues one.
  if (aud !== undefined) throw new AuthError('ERR_TOKEN_AUDIENCE');
  if (typeof sub !== 'string' || sub.length === 0 || LONE_SURROGATE.test(sub)) {
    throw new AuthError('ERR_TOKEN_CLAIMS');
  }
  if (
    typeof userId !== 'number' ||
    !Number.isInteger(userId) ||
    userId > MAX_UID ||
    userId < MIN_UID
  ) {
    throw new AuthError('ERR_TOKEN_CLAIMS');
  }
  if (!isRole(role)) throw new AuthError('ERR_TOKEN_CLAIMS');
  if (
    email !== undefined &&
    email !== null &&
    (typeof email !== 'string' || LONE_SURROGATE.test(email))
  ) {
    throw new AuthError('ERR_TOKEN_CLAIMS');
  }
  if (typeof exp !== 'number') throw new AuthError('ERR_TOKEN_CLAIMS');
  return { user: { uid: userId, name: sub, email: email ?? null, role }, exp };
}

function translateJoseError(error: unknown): AuthError {
  if (error instanceof errors.JWTExpired) return new AuthError('ERR_TOKEN_EXPIRED');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new AuthError(
      error.claim === 'nbf' && error.reason === 'check_failed'
        ? 'ERR_TOKEN_NOT_YET_VALID'
        : 'ERR_TOKEN_CLAIMS',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new AuthError('ERR_TOKEN_SIGNATURE');
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError('ERR_TOKEN_ALGORITHM');
  // JWSInvalid, JWTInvalid, JOSENotSupported (e.g. an unknown `crit` header) and anything else.
  return new AuthError('ERR_TOKEN_MALFORMED', { cause: error });
}
