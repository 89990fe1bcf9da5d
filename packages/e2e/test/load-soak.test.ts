import { rawToken } from '@agentauth/auth-core/testing';
import { childPids } from '@agentauth/service-runtime/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent-client.js';
import { type LoadClass, mixedLoad, RECONNECT_EVERY, type Tally, unexpected } from '../src/load.js';
import { metricSum } from '../src/metrics.js';
import { mib, rssBytes } from '../src/process-memory.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, BOB, nowSeconds, SECRET, tokenFor, user } from '../src/tokens.js';
import { closeSession, openSocket, type Session } from '../src/websocket-client.js';

// A bounded load through nginx with valid and invalid tokens mixed on every connection: every
// answer must be the documented one (counted, not sampled), memory must level off, and many
// WebSockets must open and close cleanly. Figures are printed; only correctness is asserted.

let stack: E2eStack;
let agentId = '';
beforeAll(async () => {
  stack = await startE2eStack();
  agentId = (await createAgent(stack.origin, tokenFor(ALICE))).id;
});
afterAll(async () => {
  await stack?.stop();
});

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const A = tokenFor(ALICE);
const B = tokenFor(BOB);
const classes = (): LoadClass[] => [
  { name: 'valid REGULAR, list', path: '/api/agents', headers: bearer(A), expected: 200 },
  {
    name: 'valid ADMIN, one agent',
    path: `/api/agents/${agentId}`,
    headers: bearer(B),
    expected: 200,
  },
  {
    name: 'valid, settings via query token',
    path: `/api/agents/${agentId}/settings?access-token=${A}`,
    expected: 200,
  },
  { name: 'expired', path: '/api/agents', headers: bearer(tokenFor(ALICE, -120)), expected: 401 },
  {
    name: 'wrong secret',
    path: '/api/agents',
    headers: bearer(
      rawToken(
        '{"alg":"HS256"}',
        { sub: 'alice', userId: 7, role: 'ADMIN', exp: nowSeconds() + 3600 },
        'not-the-secret',
      ),
    ),
    expected: 401,
  },
  {
    name: 'alg none',
    path: '/api/agents',
    headers: bearer(
      rawToken(
        { alg: 'none' },
        { sub: 'root', userId: 1, role: 'ADMIN', exp: nowSeconds() + 3600 },
        SECRET,
        { signature: '' },
      ),
    ),
    expected: 401,
  },
  {
    name: 'RESTRICTED role',
    path: '/api/agents',
    headers: bearer(tokenFor(user(9, 'rita', null, 'RESTRICTED'))),
    expected: 403,
  },
  // The gateway rate-limits credential-less requests per client address (429 past the burst).
  { name: 'no token', path: '/api/agents', expected: 401, alsoAllowed: [429] },
  {
    name: 'query and header differ',
    path: `/api/agents?access-token=${B}`,
    headers: bearer(A),
    expected: 401,
  },
  {
    name: 'garbage',
    path: `/api/agents/${agentId}`,
    headers: bearer('not.a.token'),
    expected: 401,
  },
];

/** Connections per request class; 10 classes → 20 connections in all. */
const PER_CLASS = 2;
/**
 * Waits (bounded) until the counters stop moving: requests still in flight when a run's time is up
 * have then been decided and served, so the counters read next are final. The state is waited
 * for, not a fixed pause.
 */
async function settle(counters: () => Promise<number[]>): Promise<void> {
  let last = await counters();
  await expect
    .poll(
      async () => {
        const now = await counters();
        const still = now.every((n, i) => n === last[i]);
        last = now;
        return still;
      },
      { timeout: 10_000, interval: 200 },
    )
    .toBe(true);
}

interface Sample {
  readonly acs: number;
  readonly agent: number;
  readonly nginxWorkers: number;
}
const sample = (): Sample => ({
  acs: rssBytes(stack.process('access-control-service').pid as number),
  agent: rssBytes(stack.process('agent-service').pid as number),
  nginxWorkers: childPids(stack.process('nginx').pid as number).reduce(
    (s, p) => s + rssBytes(p),
    0,
  ),
});
const show = (label: string, s: Sample) =>
  `${label.padEnd(22)} acs ${mib(s.acs).padStart(10)}  agent-service ${mib(s.agent).padStart(10)}  nginx workers ${mib(s.nginxWorkers).padStart(10)}`;
const merge = (into: Tally, from: Tally) => {
  for (const [name, byStatus] of Object.entries(from)) {
    const target = into[name] ?? {};
    into[name] = target;
    for (const [status, n] of Object.entries(byStatus))
      target[Number(status)] = (target[Number(status)] ?? 0) + n;
  }
};

describe('mixed valid and invalid load through nginx', () => {
  it('answers every request as documented, with no errors, and memory levels off', async () => {
    const load = classes();
    const acsAllows = () =>
      metricSum(`${stack.acsUrl}/metrics`, 'decisions_total', { outcome: 'allow' });
    const agentByStatus = (status: string) =>
      metricSum(stack.agentMetricsUrl, 'agent_service_http_requests_total', { status });

    const counters = async () => [
      await acsAllows(),
      await agentByStatus('200'),
      await agentByStatus('401'),
      await agentByStatus('403'),
    ];

    const warm = await mixedLoad(stack.origin, load, {
      seconds: 3,
      connectionsPerClass: PER_CLASS,
    });
    await settle(counters);
    const s0 = sample();
    const allowsBefore = await acsAllows();
    const agent200Before = await agentByStatus('200');
    const agentDeniedBefore = (await agentByStatus('401')) + (await agentByStatus('403'));

    const first = await mixedLoad(stack.origin, load, {
      seconds: 6,
      connectionsPerClass: PER_CLASS,
    });
    const s1 = sample();
    const second = await mixedLoad(stack.origin, load, {
      seconds: 6,
      connectionsPerClass: PER_CLASS,
    });
    await settle(counters);
    const s2 = sample();

    const tally: Tally = {};
    merge(tally, first.tally);
    merge(tally, second.tally);
    const valid = load
      .filter((c) => c.expected === 200)
      .reduce((n, c) => n + (tally[c.name]?.[200] ?? 0), 0);
    const allows = (await acsAllows()) - allowsBefore;
    const agent200 = (await agentByStatus('200')) - agent200Before;
    const agentDenied =
      (await agentByStatus('401')) + (await agentByStatus('403')) - agentDeniedBefore;

    const lines = [
      `load: 2 × 6 s, ${load.length} request classes × ${PER_CLASS} connections, all at once (after a 3 s warm-up of ${warm.requests})`,
      `requests ${first.requests + second.requests}, ${Math.round((first.rps + second.rps) / 2)} req/s, p99 ${Math.max(first.latencyP99Ms, second.latencyP99Ms)} ms, errors ${first.errors + second.errors}, timeouts ${first.timeouts + second.timeouts}`,
      ...load.map(
        (c) => `  ${c.name.padEnd(34)} expected ${c.expected}: ${JSON.stringify(tally[c.name])}`,
      ),
      `access-control-service allows ${allows}, agent-service 200s ${agent200}, agent-service 401/403s ${agentDenied}, valid 200s ${valid}`,
      show('RSS after warm-up', s0),
      show('RSS after 6 s', s1),
      show('RSS after 12 s', s2),
    ];
    console.warn(lines.join('\n'));

    expect(unexpected(tally, load)).toEqual([]);
    expect(first.errors + second.errors + first.timeouts + second.timeouts).toBe(0);
    for (const c of load) expect(tally[c.name]?.[c.expected] ?? 0, c.name).toBeGreaterThan(0);
    // Only valid requests reached the agent-service, one allow each. Some are decided and served
    // without being tallied: autocannon stops counting when a run's time is up (one in flight per
    // connection and run) and drops the response to the last request it sent before each
    // reconnect (every RECONNECT_EVERY sent requests per connection: one more per connection and
    // run for the rounding), so the slack is two per connection and run plus one per reconnect.
    expect(agentDenied).toBe(0);
    const validConnections = load.filter((c) => c.expected === 200).length * PER_CLASS;
    const untallied = 2 * 2 * validConnections + Math.ceil(valid / RECONNECT_EVERY);
    for (const served of [allows, agent200]) {
      expect(served).toBeGreaterThanOrEqual(valid);
      expect(served).toBeLessThanOrEqual(valid + untallied);
    }
    // Bounded growth between the two halves (generous: GC timing varies on a shared machine).
    for (const key of ['acs', 'agent', 'nginxWorkers'] as const) {
      expect(s2[key] - s1[key], key).toBeLessThan(Math.max(64 * 2 ** 20, s1[key] / 2));
    }
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});

describe('many concurrent WebSockets through nginx', () => {
  it('holds 200 authenticated sessions open and closes every one cleanly', async () => {
    const COUNT = 200;
    const open = () => metricSum(stack.agentMetricsUrl, 'agent_service_websockets_open');
    const before = sample();
    const started = Date.now();
    const sessions: Session[] = [];
    for (let batch = 0; batch < COUNT; batch += 50) {
      const opened = await Promise.all(
        Array.from({ length: Math.min(50, COUNT - batch) }, (_, i) =>
          openSocket(
            `ws://127.0.0.1:${stack.gatewayPort}/api/agents/${agentId}/react?access-token=${(batch + i) % 2 ? A : B}`,
          ),
        ),
      );
      for (const hs of opened) {
        if (!('session' in hs)) throw new Error(`handshake answered ${hs.status}: ${hs.body}`);
        sessions.push(hs.session);
      }
    }
    await Promise.all(sessions.map((s) => s.next((e) => e.type === 'snapshot', 10_000)));
    const openedMs = Date.now() - started;
    expect(await open()).toBe(COUNT);
    const during = sample();
    // Each session still answers after all were opened: a frame the protocol does not know gets
    // an error event on that socket (a closed one could not answer).
    const answered = await Promise.all(
      sessions.map((s) => {
        const reply = s.next((e) => e.type === 'error', 10_000);
        s.send({ v: 1, type: 'ping' });
        return reply;
      }),
    );
    expect(answered.map((e) => e.code)).toEqual(sessions.map(() => 'ERR_BAD_FRAME'));
    expect(sessions.every((s) => s.ws.readyState === s.ws.OPEN)).toBe(true);

    const codes = await Promise.all(sessions.map((s) => closeSession(s)));
    expect(codes.filter((c) => c.code !== 1000)).toEqual([]);
    await expect.poll(open, { timeout: 5_000 }).toBe(0);
    const after = sample();
    console.warn(
      [
        `websockets: ${COUNT} opened (snapshot received) in ${openedMs} ms, each answered a frame, all closed 1000`,
        show('RSS before', before),
        show(`RSS with ${COUNT} open`, during),
        show('RSS after closing', after),
      ].join('\n'),
    );
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});
