import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agent-client.js';
import { send } from '../src/http-client.js';
import { slowloris } from '../src/slowloris.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, tokenFor } from '../src/tokens.js';
import { closeSession, openSocket } from '../src/websocket-client.js';

// The slowloris attack of issue 13 against the real stack: one client without credentials at
// 127.0.0.2 holds ~2,100 half-sent request heads (one more header line every 3 s, reconnecting
// whatever nginx closes) while legitimate clients at 127.0.0.3 keep using the REST API and opening
// WebSockets with a valid token. Before the limits, every probe got a reset or an empty close.

const ATTACKER = '127.0.0.2';
const CLIENT = '127.0.0.3';
const CONNECTIONS = 2_100;
const ATTACK_SECONDS = 15;

let stack: E2eStack;
let agentId = '';
const token = tokenFor(ALICE);
beforeAll(async () => {
  stack = await startE2eStack();
  agentId = (await createAgent(stack.origin, token)).id;
});
afterAll(async () => {
  await stack?.stop();
});

type Outcome = 'ok' | string;

async function restProbe(): Promise<Outcome> {
  try {
    const res = await send(`${stack.origin}/api/agents`, {
      headers: { authorization: `Bearer ${token}` },
      localAddress: CLIENT,
      timeoutMs: 10_000,
    });
    return res.status === 200 ? 'ok' : `REST ${res.status} ${res.code ?? ''}`;
  } catch (error) {
    return `REST ${(error as Error).message}`;
  }
}

async function socketProbe(): Promise<Outcome> {
  const hs = await openSocket(
    `ws://127.0.0.1:${stack.gatewayPort}/api/agents/${agentId}/react?access-token=${token}`,
    {},
    10_000,
    [],
    CLIENT,
  );
  if (!('session' in hs)) return `WebSocket ${hs.status}`;
  try {
    await hs.session.next((e) => e.type === 'snapshot', 10_000);
    await closeSession(hs.session);
    return 'ok';
  } catch (error) {
    hs.session.ws.terminate();
    return `WebSocket ${(error as Error).message}`;
  }
}

describe('slowloris from one client without credentials', () => {
  it('leaves the gateway to legitimate clients at another address, and nginx recovers', async () => {
    const attack = slowloris({
      port: stack.gatewayPort,
      from: ATTACKER,
      connections: CONNECTIONS,
      seconds: ATTACK_SECONDS,
    });
    const ready = await attack.ready;

    // Probe until the attack ends: two REST requests and one WebSocket open at a time.
    const outcomes: { rest: Outcome[]; socket: Outcome[] } = { rest: [], socket: [] };
    let attacking = true;
    const finished = attack.done.finally(() => {
      attacking = false;
    });
    const loop = async (kind: 'rest' | 'socket') => {
      while (attacking) outcomes[kind].push(await (kind === 'rest' ? restProbe() : socketProbe()));
    };
    await Promise.all([loop('rest'), loop('rest'), loop('socket'), finished]);
    const stats = await finished;

    const share = (list: Outcome[]) => list.filter((o) => o === 'ok').length / list.length;
    const failures = [...outcomes.rest, ...outcomes.socket].filter((o) => o !== 'ok');
    console.warn(
      [
        `slowloris: ${CONNECTIONS} connections from ${ATTACKER} for ${ATTACK_SECONDS} s (all open: ${ready}), peak open ${stats.peakOpen}, opened ${stats.opened}, closed by nginx ${stats.closedByServer}, failed ${stats.failed}`,
        `probes from ${CLIENT}: REST ${outcomes.rest.length} (${(share(outcomes.rest) * 100).toFixed(1)}% ok), WebSocket opens ${outcomes.socket.length} (${(share(outcomes.socket) * 100).toFixed(1)}% ok)`,
        ...(failures.length ? [`failures: ${[...new Set(failures)].join('; ')}`] : []),
      ].join('\n'),
    );

    // The attack was real: every connection was open at once (a low hard open-file limit would
    // show up here: raise it with `ulimit -Hn` / LimitNOFILE).
    expect(ready, 'attacker connections open at once').toBe(CONNECTIONS);
    expect(stats.peakOpen).toBeGreaterThanOrEqual(CONNECTIONS);
    // nginx's header timeout cut the dripping heads short (each would otherwise live forever).
    expect(stats.closedByServer).toBeGreaterThanOrEqual(CONNECTIONS / 2);
    expect(outcomes.rest.length).toBeGreaterThanOrEqual(50);
    expect(outcomes.socket.length).toBeGreaterThanOrEqual(20);
    expect(share(outcomes.rest)).toBeGreaterThanOrEqual(0.99);
    expect(share(outcomes.socket)).toBeGreaterThanOrEqual(0.99);

    // Recovered: every process healthy, a probe of each kind succeeds, and no worker ran out.
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
    expect(await restProbe()).toBe('ok');
    expect(await socketProbe()).toBe('ok');
    expect(stack.nginxLogs().error).not.toContain('worker_connections are not enough');
  });
});
