import {
  isAuthError,
  ROLES,
  type SessionUser,
  secretKey,
  signToken,
  type TokenSubject,
  verifyToken,
} from '@agentauth/auth-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Shape, shapes } from '../src/corpus.js';
import {
  type Oracle,
  type OracleVerdict,
  type PlatformUser,
  startOracle,
} from '../src/oracle-process.js';

// auth-core's verifier against the platform's real one: jose4j 0.9.6 configured as the platform's
// JwtConsumer (require exp and sub, 30 s skew, relaxed key validation, HmacKey over the
// lower-cased secret) and its issuer, in one long-lived JVM (src/main/java/.../Oracle.java).

const SECRET = 'Q7f2c9D1e8b4A6f3C2d1e0F9a8b7c6d5e4f3a2B1';
const KEY = secretKey(SECRET);
const NOW = 1_790_000_000; // seconds; both verifiers are frozen at this instant
const NOW_MS = NOW * 1000;

/**
 * Every shape where auth-core refuses a token jose4j accepts, with the reason. The test requires
 * this list to be exactly the shapes found, so it can neither hide a new gap nor go stale.
 */
const STRICTER: Record<string, string> = {
  'matrix: alg HS384': 'only HS256 is accepted; jose4j takes any HMAC algorithm the key fits',
  'matrix: alg HS512': 'only HS256 is accepted; jose4j takes any HMAC algorithm the key fits',
  'matrix: an empty sub': 'the user name must be non-empty',
  'claim sub as an empty string': 'the user name must be non-empty',
  'matrix: a userId beyond 32 bits': "the platform's .toInt would wrap it into another user's id",
  'userId 2147483648': "the platform's .toInt would wrap it into another user's id",
  'matrix: a missing userId': "the platform's asInstanceOf[Long] reads a missing userId as uid 0",
  'claim userId missing': "the platform's asInstanceOf[Long] reads a missing userId as uid 0",
  'claim userId as null': "the platform's asInstanceOf[Long] reads a null userId as uid 0",
  'matrix: an oversized token': 'tokens over 8 KiB are refused before any parsing',
  'claim aud as null': 'any aud member is refused; the platform never issues one',
  'claim nbf as null': 'a NumericDate must be a number (jose); the platform never writes null',
  'claim iat as null': 'a NumericDate must be a number (jose); the platform never writes null',
  'header: an empty crit': 'crit must not be empty (RFC 7515 4.1.11)',
  'matrix: an empty crit list': 'crit must not be empty (RFC 7515 4.1.11)',
  'header: a cty text/plain':
    'no cty at all: the platform never writes one, and cty JWT means nesting to jose4j',
  'header: b64 true':
    'no b64 at all: jose4j honours b64 without crit, the platform never writes it',
  'json: a trailing comma': 'strict RFC 8259 JSON only',
  'json: a leading zero in userId': 'strict RFC 8259 JSON only',
  'json: a raw control character in a string':
    'strict RFC 8259 JSON only (control characters must be escaped)',
  'json: a lone surrogate escape in sub':
    'a lone surrogate has no UTF-8 form for the identity headers',
  'json: Latin-1 bytes': 'invalid UTF-8 is refused, never replaced',
  'json: an overlong UTF-8 encoding': 'invalid UTF-8 is refused, never replaced',
  'encoding: padding on every segment': 'base64url without padding only (RFC 7515 section 2)',
  'encoding: padding on the signature': 'base64url without padding only (RFC 7515 section 2)',
};

type Verdict = { ok: true; user: SessionUser } | { ok: false; code: string };

async function authCore(token: string): Promise<Verdict> {
  try {
    const { user } = await verifyToken(token, KEY, { now: NOW_MS });
    return { ok: true, user };
  } catch (error) {
    if (isAuthError(error)) return { ok: false, code: error.code };
    throw error;
  }
}

const identityOf = (v: OracleVerdict) =>
  v.ok ? { uid: v.user.uid, name: v.user.name, email: v.user.email, role: v.user.role } : undefined;

let oracle: Oracle;
const results: Array<{ shape: Shape; ours: Verdict; jose4j: OracleVerdict }> = [];

beforeAll(async () => {
  oracle = await startOracle();
  for (const shape of shapes(SECRET, NOW)) {
    const [ours, jose4j] = await Promise.all([
      authCore(shape.token),
      oracle.verify(SECRET, shape.token, NOW),
    ]);
    results.push({ shape, ours, jose4j });
  }
});
afterAll(() => oracle?.close());

describe('auth-core against jose4j 0.9.6 (the platform verifier) over the generated corpus', () => {
  it('covers a few hundred shapes, some accepted and many refused by jose4j', () => {
    expect(results.length).toBeGreaterThan(300);
    expect(results.filter((r) => r.jose4j.ok).length).toBeGreaterThan(50);
    expect(results.filter((r) => !r.jose4j.ok).length).toBeGreaterThan(100);
  });

  it('never accepts a token that jose4j rejects', () => {
    const looser = results.filter((r) => r.ours.ok && !r.jose4j.ok).map((r) => r.shape.name);
    expect(looser).toEqual([]);
  });

  it('is stricter exactly where the list says, each with its reason', () => {
    const stricter = results.filter((r) => !r.ours.ok && r.jose4j.ok).map((r) => r.shape.name);
    expect(stricter.sort()).toEqual(Object.keys(STRICTER).sort());
  });

  it('reads the same identity wherever both accept', () => {
    const differ = results
      .filter((r) => r.ours.ok && r.jose4j.ok)
      .filter(
        (r) => JSON.stringify(r.ours.ok && r.ours.user) !== JSON.stringify(identityOf(r.jose4j)),
      )
      .map((r) => r.shape.name);
    expect(differ).toEqual([]);
  });
});

// Real identities: the names, emails, ids and roles the platform really has.
const USERS: PlatformUser[] = [
  { name: 'alice', uid: 7, email: 'alice@example.org', role: 'REGULAR' },
  { name: 'Zoë 山田', uid: 8, email: 'zoë@exämple.org', role: 'ADMIN' },
  { name: 'مريم', uid: 9, email: null, role: 'REGULAR' },
  { name: '🙂 Ana-María O’Brien', uid: 10, email: 'ana@example.org', role: 'RESTRICTED' },
  { name: 'e\u0301 combining', uid: 11, email: null, role: 'INACTIVE' },
  { name: 'root', uid: 0, email: null, role: 'ADMIN' },
  { name: 'max', uid: 2147483647, email: 'max@example.org', role: 'REGULAR' },
  {
    name: 'g',
    uid: 12,
    email: 'g@example.org',
    role: 'REGULAR',
    googleId: '1234567890',
    googleAvatar: 'https://a.example/p.png',
  },
];
for (const role of ROLES) USERS.push({ name: `user-${role}`, uid: 100, email: null, role });

describe('real identities round-trip both ways', () => {
  it.each(USERS)(
    'jose4j mints $name ($role, uid $uid): auth-core reads the same identity',
    async (user) => {
      for (const minutes of [60, 62_208_000]) {
        const token = await oracle.mint(SECRET, user, minutes, NOW);
        const ours = await authCore(token);
        expect(ours).toEqual({
          ok: true,
          user: { uid: user.uid, name: user.name, email: user.email, role: user.role },
        });
      }
    },
  );

  it.each(USERS)(
    'auth-core mints $name ($role, uid $uid): jose4j reads the same identity',
    async (user) => {
      const subject: TokenSubject = {
        uid: user.uid,
        name: user.name,
        email: user.email,
        role: user.role as TokenSubject['role'],
        googleId: user.googleId ?? null,
        googleAvatar: user.googleAvatar ?? null,
      };
      const token = await signToken(subject, { key: KEY, ttl: 3600, now: NOW_MS });
      const verdict = await oracle.verify(SECRET, token, NOW);
      expect(identityOf(verdict)).toEqual({
        uid: user.uid,
        name: user.name,
        email: user.email,
        role: user.role,
      });
      expect(verdict.ok && verdict.exp).toBe(NOW + 3600);
    },
  );
});
