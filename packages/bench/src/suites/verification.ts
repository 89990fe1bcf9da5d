import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createTokenVerifier, importHmacKey, verifyToken } from '@agentauth/auth-core';
import { jwtVerify } from 'jose';
import { interleave } from '../load/interleave.js';
import { rotation } from '../load/token-rotation.js';
import type { VerificationRow } from '../result.js';
import { median, round } from '../statistics.js';

export interface VerificationInput {
  readonly key: Uint8Array;
  /** Pre-signed tokens; the first is the "one user" token. */
  readonly tokens: readonly string[];
  readonly runs: number;
  readonly runMs: number;
}

interface Case {
  readonly id: string;
  readonly name: string;
  readonly users: number;
  /** Ops started together per batch; 1 awaits each before the next. */
  readonly inFlight?: number;
  readonly op: () => unknown;
}

/**
 * The concurrency of the "in flight" rows, the bench's highest HTTP connection count. A service
 * verifies the tokens of concurrent requests concurrently, and jose verifies through WebCrypto,
 * whose HMAC runs on libuv's thread pool: one at a time, a verification waits out the round trip
 * to the pool (most of its ~50 µs), so only a batch in flight shows what verification costs a
 * busy service. The raw HMAC is synchronous: a batch changes nothing for it.
 */
export const IN_FLIGHT = 16;

/**
 * Verifications per second in this process: a raw `createHmac` check (the floor any HS256
 * verifier pays), jose's `jwtVerify` alone, the auth core's full `verifyToken` (jose plus the
 * platform's claim rules) one at a time and {@link IN_FLIGHT} in flight, forged-token refusals,
 * and the auth core verifier's cache hit for one user and for many (a cache holding every token
 * of the rotation, the services' default size).
 * @example const rows = await verificationSuite({ key, tokens, runs: 3, runMs: 800 })
 */
export async function verificationSuite(input: VerificationInput): Promise<VerificationRow[]> {
  const { key, tokens } = input;
  const token = tokens[0] as string;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const signingInput = `${header}.${payload}`;
  const expected = Buffer.from(signature, 'base64url');

  const imported = importHmacKey(key);
  // Fresh forgeries: real headers and payloads with a random signature (what a flood sends).
  const forged = rotation(
    tokens.slice(0, 64).map((t) => `${t.slice(0, t.lastIndexOf('.'))}.${randomSignature()}`),
  );
  const refused = () => undefined;
  const oneUser = createTokenVerifier({ key });
  await oneUser.verify(token);
  const manyUsers = createTokenVerifier({ key, cacheSize: Math.max(10_000, tokens.length) });
  for (const t of tokens) await manyUsers.verify(t);
  const users = rotation(tokens);

  const cases: Case[] = [
    {
      id: 'raw-hmac',
      name: 'raw crypto HMAC-SHA256 check (baseline)',
      users: 1,
      op: () => timingSafeEqual(createHmac('sha256', key).update(signingInput).digest(), expected),
    },
    {
      id: 'jose',
      name: 'jose jwtVerify alone, uncached',
      users: 1,
      op: () => jwtVerify(token, key, { algorithms: ['HS256'] }),
    },
    {
      id: 'auth-core-uncached',
      name: 'auth core verifyToken (pre-check + jose + claim rules), uncached, key imported once',
      users: 1,
      op: () => verifyToken(token, imported),
    },
    {
      id: 'auth-core-uncached-in-flight',
      name: `auth core verifyToken, uncached, key imported once, ${IN_FLIGHT} in flight`,
      users: 1,
      inFlight: IN_FLIGHT,
      op: () => verifyToken(token, imported),
    },
    {
      id: 'auth-core-raw-key',
      name: 'auth core verifyToken, uncached, raw key bytes (imported per call)',
      users: 1,
      op: () => verifyToken(token, key),
    },
    {
      id: 'forged',
      name: 'auth core verifier refusing a forged token (never cached)',
      users: 64,
      op: () => oneUser.verify(forged.next()).then(refused, refused),
    },
    {
      id: 'forged-in-flight',
      name: `auth core verifier refusing a forged token, ${IN_FLIGHT} in flight`,
      users: 64,
      inFlight: IN_FLIGHT,
      op: () => oneUser.verify(forged.next()).then(refused, refused),
    },
    {
      id: 'cache-hit',
      name: 'auth core verifier, cache hit, 1 user',
      users: 1,
      op: () => oneUser.verify(token),
    },
    {
      id: 'cache-hit-many',
      name: `auth core verifier, cache hit, ${tokens.length} users`,
      users: tokens.length,
      op: () => manyUsers.verify(users.next()),
    },
  ];

  for (const c of cases) await opsPerSecond(c, Math.min(300, input.runMs)); // warm-up (JIT)
  const samples = await interleave(cases, input.runs, (c) => opsPerSecond(c, input.runMs));
  const medians = samples.map((s) => median(s));
  const baseline = medians[0] as number;
  return cases.map((c, i) => ({
    id: c.id,
    name: c.name,
    users: c.users,
    inFlight: c.inFlight ?? 1,
    opsPerSec: Math.round(medians[i] as number),
    runs: (samples[i] as number[]).map((v) => Math.round(v)),
    vsRawHmac: round((medians[i] as number) / baseline, 3),
  }));
}

// Every op is awaited, the sync HMAC included, so each pays the same promise overhead; a case
// with ops in flight starts that many and awaits them together.
async function opsPerSecond(c: Case, ms: number): Promise<number> {
  const { op, inFlight = 1 } = c;
  const batch = new Array<unknown>(inFlight);
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1_000_000n;
  let n = 0;
  let now = start;
  while (now < end) {
    if (inFlight === 1) {
      for (let i = 0; i < 256; i++) await op();
      n += 256;
    } else {
      for (let round = 0; round < 16; round++) {
        for (let i = 0; i < inFlight; i++) batch[i] = op();
        await Promise.all(batch);
      }
      n += 16 * inFlight;
    }
    now = process.hrtime.bigint();
  }
  return n / (Number(now - start) / 1e9);
}

function randomSignature(): string {
  return randomBytes(32).toString('base64url');
}
