import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ServerEvent } from '@agentauth/agent-api';
import { createTokenVerifier, signToken, type TokenSubject } from '@agentauth/auth-core';
import { TEST_KEY } from '@agentauth/auth-core/testing';
import { createDevModelServer, type DevModelServer } from '@agentauth/dev-model-server';
import { pino } from 'pino';
import WebSocket from 'ws';
import { type AgentServiceApp, type AppConfig, createApp } from '../src/app.js';
import { createOpenAiClient } from '../src/llm/openai-client.js';
import type { AgentAccessPolicy } from '../src/policy/agent-access.js';
import type { RunCoordinator } from '../src/runs/run-coordinator.js';
import type { AgentStore } from '../src/store/agent-store.js';
import { openStorage } from '../src/store/open-storage.js';
import type { UsageStore } from '../src/usage/usage-store.js';
import type { SocketLimits } from '../src/ws/socket-limits.js';

export const KEY = TEST_KEY;
export const ALICE: TokenSubject = {
  uid: 7,
  name: 'alice',
  email: 'alice@example.com',
  role: 'REGULAR',
};
export const BOB: TokenSubject = { uid: 8, name: 'bob', email: null, role: 'REGULAR' };

/** A token for a subject, signed like the platform does. */
export const tokenFor = (subject: TokenSubject = ALICE, ttl: number | string = '1h') =>
  signToken(subject, { key: KEY, ttl });

export interface Harness {
  readonly url: string;
  readonly wsUrl: string;
  readonly service: AgentServiceApp;
  readonly store: AgentStore;
  /** The usage store (on the agent database file). */
  readonly usage: UsageStore;
  readonly dev: DevModelServer;
  readonly dbPath: string;
  /** Every log line the service wrote, as text. */
  readonly logs: string[];
  /** The service clock offset in ms (tests move time forward). */
  advance(ms: number): void;
  readonly coordinator: RunCoordinator;
  /** Closes the service, its coordinator and store; keeps the dev server unless it owns it. */
  close(options?: { keepDir?: boolean }): Promise<void>;
}

export interface HarnessOptions {
  readonly dir?: string;
  readonly devDelayMs?: number;
  readonly dev?: DevModelServer;
  readonly corsOrigins?: string[];
  readonly wsMaxPayload?: number;
  readonly socketLimits?: Partial<SocketLimits>;
  readonly policy?: AgentAccessPolicy;
  readonly llmBaseUrl?: string;
  /** `LLM_API_KEY` (e.g. a LiteLLM proxy's key). */
  readonly llmApiKey?: string;
  /** Extra app configuration: `accessPolicy`, `limits`, `llm` (max tokens, allow-list, …). */
  readonly config?: Partial<AppConfig>;
  /** Open the database at this path instead of a fresh one (two services on one file). */
  readonly dbPath?: string;
  /** Run on this PostgreSQL database (several harnesses on one URL are replicas) instead of SQLite. */
  readonly databaseUrl?: string;
  readonly leaseMs?: number;
  readonly replicaId?: string;
}

/**
 * Starts the dev model server (port 0) and the agent-service on a fresh SQLite file, over real
 * HTTP on 127.0.0.1.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'agent-service-'));
  const dbPath = options.dbPath ?? join(dir, 'agents.db');
  const ownDev = !options.dev;
  const dev = options.dev ?? createDevModelServer({ tokenDelayMs: options.devDelayMs ?? 2 });
  const devUrl = ownDev ? await dev.listen(0) : '';
  const baseUrl = options.llmBaseUrl ?? `${ownDev ? devUrl : devAddress(dev)}/v1`;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  let offset = 0;
  const clock = () => Date.now() + offset;
  const { store, coordinator, usage } = await openStorage(
    {
      dbPath,
      databaseUrl: options.databaseUrl,
      db: { poolMax: 5, connectTimeoutMs: 5000 },
      runs: {
        leaseMs: options.leaseMs ?? 15_000,
        graceMs: 0,
        replicaId: options.replicaId ?? `test-${crypto.randomUUID().slice(0, 8)}`,
      },
    },
    logger,
  );
  const service = createApp(
    {
      corsOrigins: options.corsOrigins ?? [],
      wsMaxPayload: options.wsMaxPayload ?? 65_536,
      ...(options.socketLimits ? { socketLimits: options.socketLimits } : {}),
      ...options.config,
    },
    {
      usage,
      verifier: createTokenVerifier({ key: KEY }),
      store,
      llm: createOpenAiClient({ baseUrl, apiKey: options.llmApiKey, timeoutMs: 10_000 }),
      logger,
      clock,
      coordinator,
      ...(options.policy ? { policy: options.policy } : {}),
    },
  );
  await coordinator.ready();
  const url = await service.listen(0, '127.0.0.1');
  return {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    service,
    store,
    usage,
    coordinator,
    dev,
    dbPath,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    async close(closeOptions = {}) {
      await service.close();
      await usage.close();
      await coordinator.close();
      await store.close();
      if (ownDev) await dev.close();
      if (!closeOptions.keepDir && !options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function devAddress(dev: DevModelServer): string {
  const address = dev.server.address();
  if (address === null || typeof address === 'string') throw new Error('dev server not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** fetch with a Bearer token and JSON body. */
export function api(
  h: { url: string },
  path: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  return fetch(`${h.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

/** A response body as loosely typed JSON (assertions do the checking). */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary JSON shapes
export const json = (res: Response): Promise<any> => res.json();

/** Creates an agent as `token`'s user and returns it. */
export async function createAgent(
  h: { url: string },
  token: string,
  body: Record<string, unknown> = { name: 'helper', modelType: 'dev-model' },
) {
  const res = await api(h, '/api/agents', { method: 'POST', token, body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return json(res);
}

/** The outcome of a WebSocket handshake: 101, or the HTTP status, body and Retry-After of a refusal. */
export interface HandshakeResult {
  readonly status: number;
  readonly body?: string;
  readonly retryAfter?: string | undefined;
  readonly protocol?: string;
  /** The open socket, when asked to keep it open (the caller closes it). */
  readonly ws?: WebSocket;
}

/**
 * Performs a WebSocket handshake and reports its outcome. The socket is closed once open unless
 * `keepOpen` is set (then it is in the result, for tests that hold sockets).
 */
export function handshake(
  url: string,
  headers: Record<string, string> = {},
  protocols: string[] = [],
  options: { readonly keepOpen?: boolean } = {},
) {
  return new Promise<HandshakeResult>((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, retryAfter: res.headers['retry-after'] }),
      );
    });
    ws.on('open', () => {
      if (options.keepOpen) return resolve({ status: 101, protocol: ws.protocol, ws });
      resolve({ status: 101, protocol: ws.protocol });
      ws.close();
    });
    ws.on('error', () => {});
  });
}

/** An open session: every event received, a way to wait for one, and the close. */
export interface Session {
  readonly ws: WebSocket;
  readonly events: ServerEvent[];
  send(frame: unknown): void;
  /** Resolves with the first event (from `from` on) that matches. */
  next(match: (e: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Opens an authenticated session and waits for the snapshot. */
export async function openSession(
  url: string,
  headers: Record<string, string> = {},
): Promise<Session> {
  const ws = new WebSocket(url, { headers });
  const events: ServerEvent[] = [];
  const waiters: {
    match: (e: ServerEvent) => boolean;
    resolve: (e: ServerEvent) => void;
    seen: number;
  }[] = [];
  ws.on('message', (data) => {
    const event = JSON.parse(String(data)) as ServerEvent;
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  ws.on('error', () => {});
  const session: Session = {
    ws,
    events,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          match,
          seen: events.length,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
  const snapshot = session.next((e) => e.type === 'snapshot');
  await Promise.race([
    snapshot,
    closed.then((c) => {
      throw new Error(`closed before snapshot: ${c.code}`);
    }),
  ]);
  return session;
}

/** Waits until `test` is true (polling), or fails after `timeoutMs`. */
export async function until(
  test: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const start = Date.now();
  while (!(await test())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
