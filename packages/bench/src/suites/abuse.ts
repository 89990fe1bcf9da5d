import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { createLatencyRecorder } from '../load/latency-recorder.js';
import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { AbuseResult } from '../result.js';
import { round } from '../statistics.js';
import { agentSocketUrl } from './websocket.js';

export interface AbuseSettings {
  readonly seconds: number;
  readonly log: (line: string) => void;
}

/** Parallel readers of the reconnect storm (the measurement used four). */
const STORM_READERS = 4;
/** Non-reading sockets held on the full-history agent for the memory figure. */
const IDLE_SOCKETS = 20;
/**
 * Shortest storm: the per-user cap is per minute, so a one-second storm would be all burst (the
 * first 60 upgrades go through at once); five seconds show the cap at work as well.
 */
const MIN_STORM_SECONDS = 5;

/**
 * What abuse of the WebSocket costs the agent-service, on an agent with a full history (500 steps
 * of 16,000 characters): the healthcheck's p50 while idle and during a reconnect storm (readers
 * that upgrade, read the snapshot and drop the socket, over and over), the most bytes one upgrade
 * delivered, and memory per socket that never reads.
 * @example const abuse = await abuseSuite(stack, manyUsers, { seconds: 5, log })
 */
export async function abuseSuite(
  stack: BenchStack,
  tokens: readonly string[],
  settings: AbuseSettings,
): Promise<AbuseResult> {
  const url = agentSocketUrl(stack.agentService.origin, stack.fullHistoryAgentId);
  const health = `${stack.agentService.origin}/api/healthcheck`;
  const seconds = Math.max(settings.seconds, MIN_STORM_SECONDS);

  settings.log('abuse: healthcheck p50, idle');
  const idle = await healthP50(health, seconds);

  settings.log(
    `abuse: healthcheck p50 during a reconnect storm of ${STORM_READERS} readers, ${tokens.length} users, caps lifted`,
  );
  const many = await storm(health, url, rotation(tokens), seconds);

  // The same storm from one user against the product's defaults: the per-user upgrade rate
  // answers most upgrades with a cheap 429.
  settings.log(`abuse: the same storm from one user, default per-user caps`);
  const capped = await stack.startCappedAgentService();
  const cappedUrl = agentSocketUrl(capped.origin, stack.fullHistoryAgentId);
  let one: StormFigures;
  let cappedIdle: { p50: number };
  try {
    const cappedHealth = `${capped.origin}/api/healthcheck`;
    cappedIdle = await healthP50(cappedHealth, seconds);
    one = await storm(cappedHealth, cappedUrl, rotation(tokens.slice(0, 1)), seconds);
  } finally {
    await capped.stop();
  }

  settings.log(`abuse: memory with ${IDLE_SOCKETS} sockets that never read`);
  await sleep(500);
  const before = await stack.agentService.memory();
  const idleSockets = await Promise.all(
    Array.from({ length: IDLE_SOCKETS }, (_, i) =>
      pausedSocket(url(tokens[i % tokens.length] as string)),
    ),
  );
  await sleep(1_000);
  const after = await stack.agentService.memory();
  for (const ws of idleSockets) ws.terminate();
  const per = (a: number, b: number) => Math.round((a - b) / IDLE_SOCKETS);

  return {
    healthIdleP50Ms: round(idle.p50, 3),
    healthStormP50Ms: round(many.p50, 3),
    stormVsIdle: round(many.p50 / idle.p50, 3),
    stormSeconds: seconds,
    stormUpgrades: many.upgrades,
    stormBytesPerSecond: Math.round(many.bytes / seconds),
    largestUpgradeBytes: many.largest,
    oneUserIdleP50Ms: round(cappedIdle.p50, 3),
    oneUserStormP50Ms: round(one.p50, 3),
    oneUserStormVsIdle: round(one.p50 / cappedIdle.p50, 3),
    oneUserUpgrades: one.upgrades,
    oneUserRefused: one.refused,
    idleSockets: IDLE_SOCKETS,
    idleRssBytesPerSocket: per(after.rss, before.rss),
    idleHeapBytesPerSocket: per(after.heapUsed, before.heapUsed),
    idleExternalBytesPerSocket: per(after.external, before.external),
  };
}

interface StormFigures {
  readonly p50: number;
  readonly upgrades: number;
  readonly refused: number;
  readonly bytes: number;
  readonly largest: number;
}

/**
 * `STORM_READERS` loops that upgrade, read the snapshot and drop the socket (a refusal counts
 * and the loop goes on), while the healthcheck is timed.
 */
async function storm(
  health: string,
  url: (token: string) => string,
  users: ReturnType<typeof rotation>,
  seconds: number,
): Promise<StormFigures> {
  let storming = true;
  let upgrades = 0;
  let refused = 0;
  let bytes = 0;
  let largest = 0;
  const reader = async () => {
    while (storming) {
      const size = await firstMessageSize(url(users.next()));
      if (size === undefined) {
        refused++;
        continue;
      }
      upgrades++;
      bytes += size;
      largest = Math.max(largest, size);
    }
  };
  const readers = Array.from({ length: STORM_READERS }, reader);
  const { p50 } = await healthP50(health, seconds);
  storming = false;
  await Promise.all(readers);
  return { p50, upgrades, refused, bytes, largest };
}

/** Sequential keep-alive healthchecks for `seconds`; the median response time. */
async function healthP50(url: string, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const recorder = createLatencyRecorder();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      })
        .on('error', reject)
        .end();
    });
    recorder.record(Number(process.hrtime.bigint() - started) / 1e6);
  }
  agent.destroy();
  return { p50: recorder.percentile(50), count: recorder.count };
}

/**
 * Upgrades, reads the first frame (the snapshot) and drops the socket; its size in bytes, or
 * undefined when the upgrade was refused with 429 (a per-user cap).
 */
function firstMessageSize(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 26 });
    ws.once('message', (data: Buffer) => {
      ws.terminate();
      resolve(data.length);
    });
    ws.once('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      if (res.statusCode === 429) resolve(undefined);
      else reject(new Error(`a storm upgrade was refused: ${res.statusCode}`));
    });
    ws.once('error', reject);
  });
}

/** An upgraded socket that stops reading right after the 101. */
function pausedSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 26 });
    ws.once('upgrade', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`an idle socket was refused: ${res.statusCode}`)),
    );
    ws.once('error', reject);
  });
}
