import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDevModelServer } from '@agentauth/dev-model-server';
import WebSocket from 'ws';
import { startServiceProcess } from '../processes/service-process.js';
import type { QuotaResult } from '../result.js';
import { median, round } from '../statistics.js';
import type { BenchSecret } from '../tokens.js';
import { agentSocketUrl } from './websocket.js';

export interface QuotaSettings {
  /** Seconds the first user keeps 20 agents prompting while the second user's TTFT is sampled. */
  readonly seconds: number;
  /** Time-to-first-token samples of the second user, idle and loaded. */
  readonly samples: number;
  readonly log: (line: string) => void;
}

/** The per-user limit under test: runs one user may have going at once. */
const CONCURRENT_RUNS = 3;
const AGENTS = 20;
/** The dev model streams "1 … 10" at 20 ms a token: one ~200 ms LLM call per run. */
const PROMPT = 'count to 10';
const TOKEN_DELAY_MS = 20;
/** The noisy user ignores the 2 s retry hint and tries again this soon (an abusive client). */
const NOISY_RETRY_MS = 100;

interface Socket {
  readonly ws: WebSocket;
  /** Resolves with the first event matching `test`, from now on. */
  next(test: (e: Event) => boolean, timeoutMs?: number): Promise<Event>;
  on(listener: (e: Event) => void): void;
}
type Event = { type: string; state?: string; code?: string; step?: { kind?: string } };

async function open(url: string): Promise<Socket> {
  const ws = new WebSocket(url);
  const listeners = new Set<(e: Event) => void>();
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as Event;
    for (const l of [...listeners]) l(event);
  });
  const socket: Socket = {
    ws,
    on: (l) => listeners.add(l),
    next: (test, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(l);
          reject(new Error(`no matching event in ${timeoutMs} ms`));
        }, timeoutMs);
        const l = (e: Event) => {
          if (!test(e)) return;
          clearTimeout(timer);
          listeners.delete(l);
          resolve(e);
        };
        listeners.add(l);
      }),
  };
  const snapshot = socket.next((e) => e.type === 'snapshot');
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await snapshot;
  return socket;
}

const isEnd = (e: Event) =>
  e.type === 'status' && (e.state === 'completed' || e.state === 'error' || e.state === 'stopped');
const isDelta = (e: Event) => e.type === 'step' && e.step?.kind === 'text_delta';

/** One prompt: ms to the first streamed token and to the end of the run. */
async function timedPrompt(socket: Socket): Promise<{ ttftMs: number; runMs: number }> {
  const first = socket.next(isDelta);
  const end = socket.next(isEnd);
  const start = performance.now();
  socket.ws.send(JSON.stringify({ v: 1, type: 'prompt', text: PROMPT }));
  await first;
  const ttftMs = performance.now() - start;
  await end;
  return { ttftMs, runMs: performance.now() - start };
}

/**
 * One user with 20 agents prompting in parallel (as fast as the service lets them, retrying
 * refusals after 100 ms) while a second user chats: the first user's LLM calls/s against what the
 * configured limit allows (`USER_MAX_CONCURRENT_RUNS` over the idle call time), and the second
 * user's time to first token loaded against idle — ratios from the same run. Its own agent-service
 * process (built `dist/main.js`, limits set by env) in front of an in-process dev model server.
 * @example const quota = await quotaSuite(secret, tokens, { seconds: 10, samples: 10, log })
 */
export async function quotaSuite(
  secret: BenchSecret,
  tokens: { readonly noisy: string; readonly quiet: string },
  settings: QuotaSettings,
): Promise<QuotaResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-bench-quota-'));
  const dev = createDevModelServer({ tokenDelayMs: TOKEN_DELAY_MS });
  const devUrl = await dev.listen(0);
  const service = await startServiceProcess({
    name: 'agent-service',
    env: {
      AUTH_JWT_SECRET: secret.value,
      LLM_BASE_URL: `${devUrl}/v1`,
      AGENT_DB_PATH: join(dataDir, 'agents.db'),
      USER_MAX_CONCURRENT_RUNS: String(CONCURRENT_RUNS),
      USER_RUN_STARTS_PER_MINUTE: '100000',
    },
  });
  const sockets: Socket[] = [];
  try {
    const rest = async (token: string, path: string, body?: object) => {
      const res = await fetch(`${service.origin}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      return (await res.json()) as { id: string; total: { llmCalls: number } };
    };
    const create = (token: string, i: number) =>
      rest(token, '/api/agents', { name: `quota ${i}`, modelType: 'dev-model' });
    const socketFor = async (token: string, id: string) => {
      const s = await open(agentSocketUrl(service.origin, id)(token));
      sockets.push(s);
      return s;
    };

    const quietAgent = await create(tokens.quiet, 0);
    const quiet = await socketFor(tokens.quiet, quietAgent.id);
    const noisyAgents = await Promise.all(
      Array.from({ length: AGENTS }, (_, i) => create(tokens.noisy, i + 1)),
    );
    const noisy = await Promise.all(noisyAgents.map((a) => socketFor(tokens.noisy, a.id)));

    settings.log(`quota: idle — ${settings.samples} prompts of the second user`);
    await timedPrompt(quiet); // warm-up
    const idle: number[] = [];
    const idleRuns: number[] = [];
    for (let i = 0; i < settings.samples; i++) {
      const t = await timedPrompt(quiet);
      idle.push(t.ttftMs);
      idleRuns.push(t.runMs);
    }

    settings.log(
      `quota: ${AGENTS} agents of one user prompting for ${settings.seconds} s while the second user chats`,
    );
    let running = true;
    let refusals = 0;
    const loops = noisy.map(async (s) => {
      while (running) {
        const end = s.next(
          (e) => isEnd(e) || (e.type === 'error' && e.code === 'ERR_RATE_LIMITED'),
        );
        s.ws.send(JSON.stringify({ v: 1, type: 'prompt', text: PROMPT }));
        const e = await end.catch(() => undefined);
        if (e?.type === 'error') {
          refusals++;
          await sleep(NOISY_RETRY_MS);
        }
      }
    });
    await sleep(1000); // let the noisy user reach its limit
    const callsBefore = (await rest(tokens.noisy, '/api/agents/usage')).total.llmCalls;
    const windowStart = performance.now();
    const loaded: number[] = [];
    const deadline = windowStart + settings.seconds * 1000;
    while (loaded.length < settings.samples || performance.now() < deadline) {
      loaded.push((await timedPrompt(quiet)).ttftMs);
    }
    const callsAfter = (await rest(tokens.noisy, '/api/agents/usage')).total.llmCalls;
    const windowSeconds = (performance.now() - windowStart) / 1000;
    running = false;
    await Promise.all(loops);

    const idleTtftMs = median(idle);
    const loadedTtftMs = median(loaded);
    const callSeconds = median(idleRuns) / 1000;
    const limitCallsPerSec = CONCURRENT_RUNS / callSeconds;
    const noisyCallsPerSec = (callsAfter - callsBefore) / windowSeconds;
    return {
      agents: AGENTS,
      concurrentRunsLimit: CONCURRENT_RUNS,
      windowSeconds: round(windowSeconds, 1),
      idleCallMs: round(callSeconds * 1000, 1),
      limitCallsPerSec: round(limitCallsPerSec, 2),
      noisyCallsPerSec: round(noisyCallsPerSec, 2),
      noisyVsLimit: round(noisyCallsPerSec / limitCallsPerSec, 2),
      refusals,
      idleTtftMs: round(idleTtftMs, 1),
      loadedTtftMs: round(loadedTtftMs, 1),
      ttftLoadedVsIdle: round(loadedTtftMs / idleTtftMs, 2),
      samples: { idle: idle.length, loaded: loaded.length },
    };
  } finally {
    for (const s of sockets) s.ws.terminate();
    await service.stop();
    await dev.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
