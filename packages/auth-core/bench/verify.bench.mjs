// Verify throughput: jose uncached vs the auth core's cache hit vs a raw HMAC baseline, in one run.
// Figures are ratios against the raw HMAC measured here, never absolute targets.
// Run: pnpm --filter @agentauth/auth-core bench   (builds first via turbo if needed)
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createTokenVerifier, signToken, verifyToken } from '../dist/index.js';

const SECRET = 'bench-only-secret-0123456789abcdef0123456789abcdef';
const key = new TextEncoder().encode(SECRET);
const token = await signToken(
  { uid: 7, name: 'alice', email: 'a@x', role: 'REGULAR' },
  { key, ttl: '1h' },
);
const [h, p, s] = token.split('.');
const expected = Buffer.from(s, 'base64url');

async function measure(name, fn, ms = 1500) {
  for (let i = 0; i < 2000; i++) await fn(); // warm-up
  const runs = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const start = process.hrtime.bigint();
    const end = start + BigInt(ms / 5) * 1_000_000n;
    while (process.hrtime.bigint() < end) {
      for (let i = 0; i < 200; i++) await fn();
      n += 200;
    }
    runs.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  runs.sort((a, b) => a - b);
  return { name, opsPerSec: Math.round(runs[2]) };
}

const rawHmac = await measure('raw crypto.createHmac (baseline)', () => {
  const mac = createHmac('sha256', key).update(`${h}.${p}`).digest();
  return timingSafeEqual(mac, expected);
});
const uncached = await measure('jose verify, uncached (verifyToken)', () =>
  verifyToken(token, key),
);
const verifier = createTokenVerifier({ key });
await verifier.verify(token);
const cached = await measure('auth core verifier, cache hit', () => verifier.verify(token));

const rows = [rawHmac, uncached, cached].map((r) => ({
  ...r,
  vsRawHmac: +(r.opsPerSec / rawHmac.opsPerSec).toFixed(2),
}));
// biome-ignore lint/suspicious/noConsole: a benchmark prints its table for people
console.table(rows);
process.stdout.write(
  `${JSON.stringify({ bench: 'auth-core/verify', node: process.version, rows })}\n`,
);
