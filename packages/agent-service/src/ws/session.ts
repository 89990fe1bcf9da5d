import {
  type Agent,
  CLOSE_CODE,
  PROTOCOL_VERSION,
  type ProtocolErrorCode,
  type ServerEvent,
} from '@agentauth/agent-api';
import type { SessionUser } from '@agentauth/auth-core';
import { onTokenExpiry } from '@agentauth/auth-core/ws';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { RunManager } from '../agent/run-manager.js';
import { startRun } from '../agent/start-run.js';
import type { ModelCatalog } from '../llm/model-catalog.js';
import type { ServiceMetrics } from '../metrics.js';
import type { AgentAccessPolicy } from '../policy/agent-access.js';
import type { PartialText } from '../runs/run-coordinator.js';
import type { AgentStore } from '../store/agent-store.js';
import { parseClientFrame } from './client-frame.js';
import type { SnapshotFrames } from './snapshot-frames.js';
import type { SocketLimits } from './socket-limits.js';

export interface SessionDeps {
  readonly store: AgentStore;
  readonly runs: RunManager;
  readonly policy: AgentAccessPolicy;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly metrics: ServiceMetrics;
  readonly limits: SocketLimits;
  readonly snapshots: SnapshotFrames;
  readonly catalog: ModelCatalog;
}

/** How long a slow consumer's close handshake may take before its socket is destroyed. */
const SLOW_CLOSE_GRACE_MS = 2_000;

export interface SessionAuth {
  readonly user: SessionUser;
  /** Token expiry, seconds since the epoch. */
  readonly exp: number;
}

/**
 * Serves one authenticated socket of one agent: a snapshot on open, then every event of the
 * agent; prompt and stop frames in. The socket is closed with 4401 when its token expires, and
 * every prompt re-checks the expiry first, so no prompt runs on an expired session.
 * @example wss.handleUpgrade(req, socket, head, (ws) => startSession(ws, agent, auth, deps))
 */
export function startSession(
  ws: WebSocket,
  agent: Agent,
  auth: SessionAuth,
  deps: SessionDeps,
): void {
  const { store, runs, policy, logger, clock, metrics, limits, snapshots } = deps;
  const log = logger.child({ agentId: agent.id, uid: auth.user.uid });
  // Backpressure: a client that does not read lets frames pile up in this process. Past the
  // ceiling the socket is closed (4408) and, if the close frame cannot get out either, torn down;
  // the run it watched goes on for everyone else.
  let slow = false;
  const send = (event: ServerEvent | Buffer) => {
    if (ws.readyState !== ws.OPEN || slow) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      slow = true;
      metrics.wsSlowConsumers.inc();
      log.warn({ buffered: ws.bufferedAmount }, 'websocket closed: the client does not read');
      ws.close(CLOSE_CODE.slowConsumer, 'client too slow: too much unsent data');
      setTimeout(() => ws.terminate(), SLOW_CLOSE_GRACE_MS).unref();
      return;
    }
    if (Buffer.isBuffer(event)) ws.send(event, { binary: false });
    else ws.send(JSON.stringify(event));
  };
  const fail = (code: ProtocolErrorCode, message: string, retryAfterMs?: number) =>
    send({
      v: PROTOCOL_VERSION,
      type: 'error',
      code,
      message,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  const close = (code: number, reason: string) => {
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(code, reason);
  };

  let expired = false;
  const expire = () => {
    if (expired) return;
    expired = true;
    fail('ERR_TOKEN_EXPIRED', 'The session token has expired; reconnect with a fresh token.');
    close(CLOSE_CODE.tokenExpired, 'token expired');
  };

  metrics.wsOpen.inc();
  // Text of the streaming turn this socket has already been sent, so partials become deltas.
  let slot: { runId: string; seq: number; length: number } | undefined;
  const sendPartial = (partial: PartialText) => {
    const same = slot?.runId === partial.runId && slot.seq === partial.seq;
    const from = same && slot ? slot.length : 0;
    if (partial.text.length <= from) return;
    send({
      v: PROTOCOL_VERSION,
      type: 'step',
      step: {
        kind: 'text_delta',
        runId: partial.runId,
        seq: partial.seq,
        delta: partial.text.slice(from),
      },
    });
    slot = { runId: partial.runId, seq: partial.seq, length: partial.text.length };
  };
  // Events that arrive while the snapshot is read wait for it (a step in both is sent twice;
  // clients key steps by run and seq).
  let ready = false;
  const pending: (() => void)[] = [];
  const whenReady = (fn: () => void) => (ready ? fn() : pending.push(fn));
  const unsubscribe = runs.subscribe(agent.id, {
    user: auth.user,
    agent,
    event: (event) => whenReady(() => send(event)),
    partial: (partial) => whenReady(() => sendPartial(partial)),
    deleted: () =>
      whenReady(() => {
        fail('ERR_NOT_FOUND', 'The agent was deleted.');
        close(CLOSE_CODE.agentDeleted, 'agent deleted');
      }),
    restart: () => close(CLOSE_CODE.serviceRestart, 'service restart'),
  });
  runs
    .status(agent.id)
    .then(async (status) => {
      send(await snapshots.frame(agent, status.state));
      // A reconnect during a run gets the text streamed so far, not only what comes next.
      if (status.partial) sendPartial(status.partial);
      ready = true;
      for (const fn of pending.splice(0)) fn();
    })
    .catch((error: unknown) => {
      log.error({ err: error }, 'reading the snapshot failed');
      close(CLOSE_CODE.internalError, 'snapshot unavailable');
    });
  const cancelExpiry = onTokenExpiry(auth.exp, expire, clock);
  let alive = true;
  ws.on('pong', () => {
    alive = true;
  });
  const heartbeat = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, 30_000);
  heartbeat.unref();

  const handle = async (text: string) => {
    const result = parseClientFrame(text);
    if (!result.ok) return fail(result.code, result.message);
    if (clock() >= auth.exp * 1000) return expire();
    const current = await store.getAgent(agent.id);
    if (
      !current ||
      !policy.mayAccess(auth.user, current, result.frame.type === 'prompt' ? 'run' : 'stop')
    ) {
      fail('ERR_NOT_FOUND', 'The agent was deleted.');
      close(CLOSE_CODE.agentDeleted, 'agent deleted');
      return;
    }
    if (result.frame.type === 'stop') {
      await runs.stop(agent.id);
      return;
    }
    // The run reads the agent's settings as they are now (a PATCH since the socket opened applies).
    const started = await startRun(deps, current, result.frame.text, auth);
    if (!started.started) fail(started.code, started.message, started.retryAfterMs);
  };
  // Frames are handled one at a time, in order (a stop right after a prompt stops that prompt).
  let frames = Promise.resolve();
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      fail('ERR_BAD_FRAME', 'Frames must be JSON text, not binary.');
      close(CLOSE_CODE.policy, 'binary frames are not supported');
      return;
    }
    const text = String(data);
    frames = frames
      .then(() => handle(text))
      .catch((error: unknown) => {
        log.error({ err: error }, 'handling a frame failed');
        fail('ERR_INTERNAL', 'The frame could not be handled; details are in the service log.');
      });
  });
  ws.on('error', (error) => log.debug({ reason: error.message }, 'websocket error'));
  ws.on('close', (code) => {
    unsubscribe();
    cancelExpiry();
    clearInterval(heartbeat);
    metrics.wsOpen.dec();
    log.info({ code }, 'websocket closed');
  });
  log.info('websocket opened');
}
