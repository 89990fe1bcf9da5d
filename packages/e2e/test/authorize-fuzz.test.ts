import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '@agentauth/access-control-service';
import {
  authenticate,
  createTokenVerifier,
  readIdentityHeaders,
  type SessionUser,
} from '@agentauth/auth-core';
import { platformToken, rawToken, TEST_KEY, TEST_SECRET } from '@agentauth/auth-core/testing';
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type RecordedChain, startRecordedChain } from '../src/recorded-chain.js';
import { isAgentTargetByReference } from '../src/reference-path.js';
import { nowSeconds, tokenFor, user } from '../src/tokens.js';

// Property-based fuzzing of the authorize decision. The invariant, at every level: an answer is
// an allow only for a valid REGULAR or ADMIN token on an agent path, and an allow carries exactly
// that token's identity. The access-control-service does not export `decide`, so its level is its
// real request listener (createApp) over HTTP on port 0; auth-core's `authenticate` is fuzzed
// directly; and the whole chain through a real nginx with fewer runs.

const key = TEST_KEY;
/**
 * The clock of the in-process levels, frozen: tokens are built relative to it and the verifiers
 * read it, so the oracle is exact (no margin around `exp`) however long the run takes. The nginx
 * chain runs a real service on the real clock; its tokens are built from that clock when drawn.
 */
const FROZEN_MS = Math.floor(Date.now() / 1000) * 1000;
const frozenSeconds = () => FROZEN_MS / 1000;
const verifier = createTokenVerifier({ key, clock: () => FROZEN_MS });
/** The brief's clock skew: a token is valid while `now - 30 s < exp` (jose's clockTolerance). */
const SKEW_SECONDS = 30;

/** A token and the user it may be allowed as (undefined: it must never be allowed). */
interface FuzzToken {
  readonly token: string;
  readonly allowedAs: SessionUser | undefined;
}

const ROLE_VALUES = ['REGULAR', 'ADMIN', 'RESTRICTED', 'INACTIVE', 'regular', 'Admin', 'ROOT', ''];

/**
 * Tokens signed with the real key whose claims are drawn at random, `exp` relative to `now`
 * (seconds) read when the token is drawn; the oracle is independent of the verifier's code.
 */
const signedClaims = (now: () => number): fc.Arbitrary<FuzzToken> =>
  fc
    .record({
      sub: fc.oneof(
        fc.string({ minLength: 1, maxLength: 12 }),
        fc.constant(''),
        fc.integer(),
        fc.constant(undefined),
      ),
      userId: fc.oneof(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.double(),
        fc.string(),
        fc.constant(undefined),
      ),
      email: fc.oneof(fc.emailAddress(), fc.constant(null), fc.integer(), fc.constant(undefined)),
      role: fc.oneof(fc.constantFrom(...ROLE_VALUES), fc.string()),
      expIn: fc.oneof(fc.integer({ min: -100_000, max: 100_000 }), fc.constant(undefined)),
      aud: fc.option(fc.string(), { nil: undefined }),
    })
    .map(({ sub, userId, email, role, expIn, aud }) => {
      const exp = expIn === undefined ? undefined : now() + expIn;
      const token = rawToken('{"alg":"HS256"}', { sub, userId, email, role, exp, aud }, TEST_KEY);
      // Exact at the drawing clock: valid while exp > now - skew. On the real clock time only moves
      // on, so a token the oracle allows may be refused later, never the other way round.
      const valid =
        typeof sub === 'string' &&
        sub.length > 0 &&
        // The platform's userId is a Java int.
        Number.isInteger(userId) &&
        (userId as number) >= -(2 ** 31) &&
        (userId as number) <= 2 ** 31 - 1 &&
        (email === undefined || email === null || typeof email === 'string') &&
        (role === 'REGULAR' || role === 'ADMIN') &&
        exp !== undefined &&
        aud === undefined;
      const allowed = valid && (expIn as number) > -SKEW_SECONDS && token.length <= 8192;
      return {
        token,
        allowedAs: allowed
          ? {
              uid: userId as number,
              name: sub as string,
              email: (email as string | null | undefined) ?? null,
              role: role as 'REGULAR' | 'ADMIN',
            }
          : undefined,
      };
    });

const known: fc.Arbitrary<FuzzToken> = fc.constantFrom<FuzzToken>(
  {
    token: tokenFor(user(7, 'alice', 'alice@example.com', 'REGULAR')),
    allowedAs: user(7, 'alice', 'alice@example.com', 'REGULAR'),
  },
  {
    token: tokenFor(user(1, 'Zoë 山田', null, 'ADMIN')),
    allowedAs: user(1, 'Zoë 山田', null, 'ADMIN'),
  },
  { token: tokenFor(user(9, 'rita', null, 'RESTRICTED')), allowedAs: undefined },
  { token: tokenFor(user(9, 'ina', null, 'INACTIVE')), allowedAs: undefined },
  { token: tokenFor(user(7, 'alice', null, 'ADMIN'), -3600), allowedAs: undefined },
  {
    token: rawToken(
      { alg: 'none' },
      { sub: 'root', userId: 1, role: 'ADMIN', exp: nowSeconds() + 60 },
      'x',
      { signature: '' },
    ),
    allowedAs: undefined,
  },
  {
    token: rawToken(
      { alg: 'HS256' },
      { sub: 'root', userId: 1, role: 'ADMIN', exp: nowSeconds() + 60 },
      'wrong-key',
    ),
    allowedAs: undefined,
  },
);

const validKnown: fc.Arbitrary<FuzzToken> = fc.constantFrom<FuzzToken>(
  {
    token: tokenFor(user(8, 'bob', 'bob@example.com', 'REGULAR')),
    allowedAs: user(8, 'bob', 'bob@example.com', 'REGULAR'),
  },
  {
    token: tokenFor(user(2, '🦊 Ωmega', 'ω@exämple.org', 'ADMIN')),
    allowedAs: user(2, '🦊 Ωmega', 'ω@exämple.org', 'ADMIN'),
  },
);

/** A valid token with one character of its payload changed: never allowed. */
const mutated: fc.Arbitrary<FuzzToken> = fc
  .tuple(
    fc.nat(),
    fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
  )
  .map(([at, c]) => {
    const [h, p, s] = tokenFor(user(7, 'alice', null, 'ADMIN')).split('.') as [
      string,
      string,
      string,
    ];
    const i = at % (p.length - 1); // the last character may carry only padding bits
    const changed = p[i] === c ? (c === 'A' ? 'B' : 'A') : c;
    return { token: `${h}.${p.slice(0, i)}${changed}${p.slice(i + 1)}.${s}`, allowedAs: undefined };
  });

const garbage: fc.Arbitrary<FuzzToken> = fc
  .stringMatching(/^[A-Za-z0-9._~+/=-]{1,200}$/)
  .map((token) => ({ token, allowedAs: undefined }));

/** Valid claims whose `exp` lies around the skew boundary: allowed exactly while exp > now - skew. */
const nearExpiry = (now: () => number): fc.Arbitrary<FuzzToken> =>
  fc
    .record({
      who: fc.constantFrom(
        user(7, 'alice', 'alice@example.com', 'REGULAR'),
        user(1, 'root', null, 'ADMIN'),
      ),
      expIn: fc.integer({ min: -3 * SKEW_SECONDS, max: SKEW_SECONDS }),
    })
    .map(({ who, expIn }) => ({
      token: platformToken(TEST_SECRET, {
        sub: who.name,
        userId: who.uid,
        email: who.email,
        role: who.role,
        exp: now() + expIn,
      }),
      allowedAs: expIn > -SKEW_SECONDS ? who : undefined,
    }));

const anyTokenAt = (now: () => number) =>
  fc.oneof(
    { arbitrary: nearExpiry(now), weight: 1 },
    { arbitrary: known, weight: 3 },
    { arbitrary: signedClaims(now), weight: 3 },
    { arbitrary: mutated, weight: 1 },
    { arbitrary: garbage, weight: 1 },
  );
const anyToken = anyTokenAt(frozenSeconds);

/** Paths built from pieces that matter to canonicalisation, plus random bytes. */
const segment = fc.oneof(
  fc.constantFrom(
    'api',
    'agents',
    'API',
    'Agents',
    'agentsX',
    '%61gents',
    '%2e',
    '%2E%2e',
    '.',
    '..',
    '',
    'react',
    'settings',
    'x',
    '%2F',
    '%5C',
    '%00',
    '%3F',
    '%25',
    ';',
    'auth',
    '%C3%A9',
  ),
  fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,8}$/),
);
const path = fc.oneof(
  { arbitrary: fc.array(segment, { maxLength: 7 }).map((s) => `/${s.join('/')}`), weight: 2 },
  {
    arbitrary: fc.array(segment, { maxLength: 4 }).map((s) => `/api/agents/${s.join('/')}`),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 30 }).map((s) => `/${s}`), weight: 1 },
);
const METHOD = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE'),
  fc.stringMatching(/^[A-Z]{1,10}$/),
);
const SPOOF = fc.record({
  'x-user-id': fc.option(fc.constantFrom('1', '0', '-1', '7'), { nil: undefined }),
  'x-user-name': fc.option(fc.constantFrom('root', 'alice', '%00'), { nil: undefined }),
  'x-original-uri': fc.option(
    fc.constantFrom('/api/agents', '/api/agents/x/react?access-token=y'),
    { nil: undefined },
  ),
  'x-original-method': fc.option(fc.constantFrom('GET', 'DELETE'), { nil: undefined }),
});
/** Where the token goes: a header, the query, both (maybe different), or nowhere. */
const PLACEMENT = fc.constantFrom(
  'header',
  'query',
  'both-same',
  'both-other',
  'none',
  'header-lowercase-scheme',
);

interface Attempt {
  readonly shape: 'envoy' | 'nginx';
  readonly method: string;
  readonly path: string;
  readonly token: FuzzToken;
  readonly other: FuzzToken;
  readonly placement: string;
  readonly spoof: Record<string, string | undefined>;
}
const attemptAt = (now: () => number): fc.Arbitrary<Attempt> =>
  fc.record({
    shape: fc.constantFrom('envoy' as const, 'nginx' as const),
    method: METHOD,
    path,
    token: anyTokenAt(now),
    other: anyTokenAt(now),
    placement: PLACEMENT,
    spoof: SPOOF,
  });

/**
 * Half of the attempts look like real traffic (a good token, a clean agent path, a standard
 * method) with random spoofed headers and placements, so allows are common enough to check; the
 * other half are fully random.
 */
const plausibleAt = (now: () => number): fc.Arbitrary<Attempt> =>
  fc.record({
    shape: fc.constantFrom('envoy' as const, 'nginx' as const),
    method: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
    path: fc
      .array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { maxLength: 3 })
      .map((s) => ['/api/agents', ...s].join('/')),
    token: fc.oneof(
      { arbitrary: validKnown, weight: 3 },
      { arbitrary: known, weight: 1 },
      { arbitrary: signedClaims(now), weight: 1 },
    ),
    other: anyTokenAt(now),
    placement: PLACEMENT,
    spoof: SPOOF,
  });
/** Attempts whose drawn tokens are relative to `now` (seconds). */
const mixedAttemptAt = (now: () => number) => fc.oneof(attemptAt(now), plausibleAt(now));

/** The original target and Authorization header an attempt sends. */
function build(a: Attempt): {
  target: string;
  authorization: string | undefined;
  effective: FuzzToken | undefined;
} {
  const q = (t: string) =>
    `${a.path.includes('?') ? '&' : '?'}access-token=${encodeURIComponent(t)}`;
  switch (a.placement) {
    case 'header':
      return { target: a.path, authorization: `Bearer ${a.token.token}`, effective: a.token };
    case 'header-lowercase-scheme':
      return { target: a.path, authorization: `bearer ${a.token.token}`, effective: a.token };
    case 'query':
      return { target: a.path + q(a.token.token), authorization: undefined, effective: a.token };
    case 'both-same':
      return {
        target: a.path + q(a.token.token),
        authorization: `Bearer ${a.token.token}`,
        effective: a.token,
      };
    case 'both-other':
      return {
        target: a.path + q(a.token.token),
        authorization: `Bearer ${a.other.token}`,
        effective: a.other.token === a.token.token ? a.token : undefined,
      };
    default:
      return { target: a.path, authorization: undefined, effective: undefined };
  }
}

/** Checks one answer against the invariant; returns whether it was an allow. */
function check(
  a: Attempt,
  target: string,
  effective: FuzzToken | undefined,
  status: number,
  headers: Record<string, unknown>,
): boolean {
  expect([200, 401, 403]).toContain(status);
  if (status !== 200) return false;
  expect(effective?.allowedAs, `allowed ${a.method} ${target}`).toBeDefined();
  expect(isAgentTargetByReference(target), `allowed a non-agent target ${target}`).toBe(true);
  const who = effective?.allowedAs as SessionUser;
  expect(readIdentityHeaders(headers as Record<string, string>)).toEqual({
    uid: who.uid,
    name: who.name,
    email: who.email,
  });
  return true;
}

/** Fuzz runs of each property, reported to the test summary beside the case count. */
const RUNS = { pure: 3000, listener: 1500, listenerAllows: 300, chain: 400 } as const;

describe('auth-core authenticate (pure)', () => {
  it('allows exactly a single valid REGULAR/ADMIN token, as its own user, and refuses the rest', async ({
    annotate,
  }) => {
    let allows = 0;
    await fc.assert(
      fc.asyncProperty(anyToken, anyToken, PLACEMENT, async (token, other, placement) => {
        const a: Attempt = {
          shape: 'envoy',
          method: 'GET',
          path: '/api/agents',
          token,
          other,
          placement,
          spoof: {},
        };
        const { target, authorization, effective } = build(a);
        const query = new URLSearchParams(target.split('?')[1] ?? '').getAll('access-token');
        const d = await authenticate(verifier, { query, authorization });
        const expected = effective?.allowedAs;
        // Both directions: a refusal of a valid token fails as surely as an allow of a bad one.
        expect(d.allow, `${placement}: ${expected ? 'valid' : 'invalid'} token`).toBe(
          Boolean(expected),
        );
        if (!d.allow) return;
        allows++;
        expect(d.user).toEqual(expected);
      }),
      { numRuns: RUNS.pure },
    );
    // An authenticate that refused everything would fail above; this keeps the draw honest too.
    expect(allows).toBeGreaterThan(100);
    await annotate(String(RUNS.pure), 'fuzz-runs');
  });
});

describe('access-control-service request listener (createApp over HTTP, port 0)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    const app = createApp(
      {},
      {
        verifier: createTokenVerifier({ key, clock: () => FROZEN_MS }),
        logger: pino({ level: 'silent' }),
        registry: new Registry(),
      },
    );
    server = createServer({ maxHeaderSize: 64 * 1024 }, app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('never allows anything but a valid REGULAR/ADMIN token on an agent path, in either shape', async ({
    annotate,
  }) => {
    let allowed = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(mixedAttemptAt(frozenSeconds), async (a) => {
        const { target, authorization, effective } = build(a);
        const spoofLines = Object.entries(a.spoof)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}: ${v}`);
        const lines =
          a.shape === 'envoy'
            ? [`${a.method} /api/auth${target} HTTP/1.1`]
            : [
                'GET /api/auth HTTP/1.1',
                `X-Original-URI: ${target}`,
                `X-Original-Method: ${a.method}`,
              ];
        const head = [
          ...lines,
          'Host: 127.0.0.1',
          'Connection: close',
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          ...(a.shape === 'envoy' ? spoofLines : spoofLines.filter((l) => !/^x-original/i.test(l))),
        ];
        const res = await rawExchange(port, httpRequest(head), {
          headRequests: a.method === 'HEAD' && a.shape === 'envoy',
        });
        const first = res.responses[0];
        total++;
        // Node's own parser refuses some random targets (400) before the app sees them: a refusal.
        if (!first || first.status === 400) return;
        const headers = Object.fromEntries(
          Object.entries(first.headers).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
        );
        const allow = check(a, target, effective, first.status, headers);
        if (allow) allowed++;
        // The other direction: a valid token on a plain agent path (the plausible half) is allowed.
        if (effective?.allowedAs && /^\/api\/agents(\/[A-Za-z0-9_-]+)*$/.test(a.path)) {
          expect(allow, `refused a valid token: ${a.shape} ${a.method} ${target}`).toBe(true);
        }
      }),
      { numRuns: RUNS.listener },
    );
    console.warn(
      `createApp fuzz: ${total} attempts, ${allowed} allowed (all valid REGULAR/ADMIN on agent paths)`,
    );
    expect(allowed).toBeGreaterThan(100);
    await annotate(String(RUNS.listener), 'fuzz-runs');
  });

  it('allows every valid REGULAR/ADMIN token on a plain agent path, with its identity', async ({
    annotate,
  }) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { maxLength: 3 }),
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.constantFrom('REGULAR' as const, 'ADMIN' as const),
        async (segments, name, uid, role) => {
          const who = user(uid, name, null, role);
          const target = ['/api/agents', ...segments].join('/');
          const res = await rawExchange(
            port,
            httpRequest([
              `GET /api/auth${target} HTTP/1.1`,
              'Host: a',
              'Connection: close',
              `Authorization: Bearer ${tokenFor(who)}`,
            ]),
          );
          expect(res.first.status).toBe(200);
          const headers = Object.fromEntries(
            Object.entries(res.first.headers).map(([k, v]) => [k, v[0]]),
          );
          expect(readIdentityHeaders(headers)).toEqual({ uid, name, email: null });
        },
      ),
      { numRuns: RUNS.listenerAllows },
    );
    await annotate(String(RUNS.listenerAllows), 'fuzz-runs');
  });
});

describe('the whole chain: nginx → access-control-service → recording upstream', () => {
  let chain: RecordedChain;
  beforeAll(async () => {
    chain = await startRecordedChain();
  });
  afterAll(() => chain?.stop());

  it('forwards only requests with a valid REGULAR/ADMIN token, carrying that identity', async ({
    annotate,
  }) => {
    let forwarded = 0;
    await fc.assert(
      fc.asyncProperty(mixedAttemptAt(nowSeconds), async (a) => {
        const { target, authorization, effective } = build(a);
        chain.upstream.requests.length = 0;
        const spoofLines = Object.entries(a.spoof)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}: ${v}`);
        await rawExchange(
          chain.gw.port,
          httpRequest([
            `${a.method} ${target} HTTP/1.1`,
            'Host: 127.0.0.1',
            'Connection: close',
            ...(authorization ? [`Authorization: ${authorization}`] : []),
            ...spoofLines,
          ]),
          { headRequests: a.method === 'HEAD' },
        );
        for (const seen of chain.upstream.requests) {
          forwarded++;
          expect(effective?.allowedAs, `forwarded ${a.method} ${target}`).toBeDefined();
          expect(isAgentTargetByReference(seen.url)).toBe(true);
          const who = effective?.allowedAs as SessionUser;
          expect(readIdentityHeaders(seen.headers)).toEqual({
            uid: who.uid,
            name: who.name,
            email: who.email,
          });
        }
      }),
      { numRuns: RUNS.chain },
    );
    console.warn(`nginx chain fuzz: ${RUNS.chain} attempts, ${forwarded} forwarded`);
    expect(forwarded).toBeGreaterThan(25);
    await annotate(String(RUNS.chain), 'fuzz-runs');
    expect(chain.gw.child.isRunning() && chain.acs.child.isRunning()).toBe(true);
  });
});
