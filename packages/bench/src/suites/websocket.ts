import { setTimeout as sleep } from 'node:timers/promises';
import { type HandshakeTarget, loadHandshakes, openSockets } from '../load/handshake-load.js';
import { interleave } from '../load/interleave.js';
import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { createCpuMeter } from '../processes/cpu-meter.js';
import type { HandshakeRow, SocketMemory } from '../result.js';
import { median, round } from '../statistics.js';
import { medianCpu } from './http-table.js';

export interface WebSocketSettings {
  readonly connections: readonly number[];
  readonly seconds: number;
  readonly runs: number;
  readonly warmupSeconds: number;
  readonly sockets: number;
  readonly log: (line: string) => void;
  readonly meter: ReturnType<typeof createCpuMeter>;
}

/** A row of a handshake table: a target, its users and what it is compared to. */
export interface HandshakeRowTarget extends HandshakeTarget {
  readonly id: string;
  readonly users: number;
  readonly baselines: readonly string[];
}

/**
 * Authenticated WebSocket handshakes per second at the agent-service (token in `?access-token=`,
 * verified at the upgrade, then the agent snapshot), one user and many, against a bare `ws`
 * server that greets each socket, at each concurrency.
 * @example const rows = await handshakeSuite(stack, oneUser, manyUsers, settings)
 */
export async function handshakeSuite(
  stack: BenchStack,
  oneUser: readonly string[],
  manyUsers: readonly string[],
  settings: WebSocketSettings,
): Promise<HandshakeRow[]> {
  const agentUrl = reactUrl(stack);
  const hello = stack.wsHello.origin.replace('http:', 'ws:');
  const targets: HandshakeRowTarget[] = [
    {
      id: 'ws-hello',
      name: 'bare ws server, greeting, no auth',
      users: 1,
      tokens: rotation(oneUser),
      url: () => `${hello}/`,
      baselines: [],
    },
    {
      id: 'agent-ws',
      name: 'agent-service WebSocket, JWT + snapshot, 1 user',
      users: 1,
      tokens: rotation(oneUser),
      url: agentUrl,
      baselines: ['ws-hello'],
    },
    {
      id: 'agent-ws-many',
      name: `agent-service WebSocket, JWT + snapshot, ${manyUsers.length} users`,
      users: manyUsers.length,
      tokens: rotation(manyUsers),
      url: agentUrl,
      baselines: ['ws-hello'],
    },
  ];
  return handshakeTable('websocket', targets, settings);
}

/**
 * Measures handshake targets at each concurrency: a warm-up per target, then interleaved runs;
 * medians and ratios to the baselines measured in the same rounds.
 * @example const rows = await handshakeTable('replicas', targets, settings)
 */
export async function handshakeTable(
  label: string,
  targets: readonly HandshakeRowTarget[],
  settings: Pick<
    WebSocketSettings,
    'connections' | 'seconds' | 'runs' | 'warmupSeconds' | 'log' | 'meter'
  >,
): Promise<HandshakeRow[]> {
  const rows: HandshakeRow[] = [];
  for (const concurrency of settings.connections) {
    settings.log(`${label}: handshakes at concurrency ${concurrency}`);
    if (settings.warmupSeconds > 0) {
      for (const t of targets) {
        await loadHandshakes(t, { concurrency, seconds: settings.warmupSeconds });
      }
    }
    const samples = await interleave(targets, settings.runs, async (t) => {
      const { value, cpu } = await settings.meter.measure(
        () => loadHandshakes(t, { concurrency, seconds: settings.seconds }),
        (s) => s.handshakes,
      );
      return { ...value, cpu };
    });
    const perSec = samples.map((s) => median(s.map((x) => x.perSec)));
    targets.forEach((t, i) => {
      const vs: Record<string, number> = {};
      for (const id of t.baselines) {
        const b = perSec[targets.findIndex((x) => x.id === id)] ?? 0;
        if (b > 0) vs[id] = round((perSec[i] as number) / b, 3);
      }
      const runs = samples[i] ?? [];
      rows.push({
        id: t.id,
        name: t.name,
        concurrency,
        users: t.users,
        perSec: Math.round(perSec[i] as number),
        p50Ms: round(median(runs.map((r) => r.p50Ms)), 3),
        runs: runs.map((r) => ({
          perSec: Math.round(r.perSec),
          p50Ms: round(r.p50Ms, 3),
          cpuUsPerHandshake: medianCpu([r.cpu]),
        })),
        cpuUsPerHandshake: medianCpu(runs.map((r) => r.cpu)),
        vs,
      });
    });
  }
  return rows;
}

/**
 * Memory per open authenticated WebSocket in the agent-service process, after full GCs there:
 * one round of `count` sockets is opened and closed first, so one-off growth (JIT code, pools)
 * is already in the baseline; then `count` sockets (distinct users) are opened and held.
 * @example const m = await socketMemory(stack, manyUsers, 1000)
 */
export async function socketMemory(
  stack: BenchStack,
  tokens: readonly string[],
  count: number,
): Promise<SocketMemory> {
  const url = reactUrl(stack);
  for (const ws of await openSockets(url, tokens, count)) ws.terminate();
  await sleep(500);
  const before = await stack.agentService.memory();
  const sockets = await openSockets(url, tokens, count);
  await sleep(200);
  const after = await stack.agentService.memory();
  for (const ws of sockets) ws.terminate();
  await sleep(200);
  const per = (a: number, b: number) => Math.round((a - b) / count);
  return {
    sockets: count,
    heapBytesPerSocket: per(after.heapUsed, before.heapUsed),
    externalBytesPerSocket: per(after.external, before.external),
    rssBytesPerSocket: per(after.rss, before.rss),
  };
}

function reactUrl(stack: BenchStack): (token: string) => string {
  return agentSocketUrl(stack.agentService.origin, stack.agentId);
}

/**
 * The chat WebSocket of one agent at an agent-service origin, for a token.
 * @example agentSocketUrl('http://127.0.0.1:3001', id)(token) // 'ws://…/api/agents/<id>/react?access-token=…'
 */
export function agentSocketUrl(origin: string, agentId: string): (token: string) => string {
  const ws = origin.replace('http:', 'ws:');
  return (token) => `${ws}/api/agents/${agentId}/react?access-token=${token}`;
}
