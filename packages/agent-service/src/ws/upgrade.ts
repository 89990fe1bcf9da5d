import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentId, REACT_SUBPROTOCOL } from '@agentauth/agent-api';
import { redactUrl, type TokenVerifier } from '@agentauth/auth-core';
import { authenticateUpgrade, rejectUpgrade, selectProtocol } from '@agentauth/auth-core/ws';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { WebSocketServer } from 'ws';
import { retryAfterSeconds } from '../http/send-limit-refusal.js';
import { StoreUnavailableError } from '../store/agent-store.js';
import { rejectPlain } from './reject-plain.js';
import { type SessionDeps, startSession } from './session.js';
import { createSnapshotFrames } from './snapshot-frames.js';

/** The session's dependencies plus the upgrade's own: verifier, frame limit, per-user caps. */
export interface WebSocketDeps extends Omit<SessionDeps, 'snapshots'> {
  readonly verifier: TokenVerifier;
  readonly maxPayload: number;
}

/** How long a client over the concurrent-socket cap is asked to wait before trying again. */
const FULL_RETRY_AFTER_SECONDS = 5;

const REACT_PATH = /^\/api\/agents\/([^/]+)\/react$/;

/**
 * Serves `/api/agents/:id/react` on an HTTP server. Authentication happens on the HTTP upgrade,
 * before any 101 (token in `?access-token=`, a bearer `Sec-WebSocket-Protocol` entry or
 * `Authorization`; the 101 echoes only `agentauth.react.v1`, never the bearer entry): a failed check answers 401/403 (auth core `rejectUpgrade`); then an id that is
 * not a UUID gets 400 and an unknown (or, by policy, invisible) agent 404. Frames over `maxPayload`
 * close the socket with 1009. Returns the WebSocketServer (for shutdown).
 * @example const wss = attachWebSockets(server, deps)
 */
export function attachWebSockets(server: Server, deps: WebSocketDeps): WebSocketServer {
  const { verifier, store, policy, logger, metrics, maxPayload, limits } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    // ws would echo the first offered entry, which may be the bearer one carrying the token.
    handleProtocols: (offered) => selectProtocol(offered, [REACT_SUBPROTOCOL]),
  });
  const upgrades = new RateLimiterMemory({ points: limits.upgradesPerMinute, duration: 60 });
  const openByUser = new Map<number, number>();
  const sessionDeps = { ...deps, snapshots: createSnapshotFrames(store, limits.snapshotMaxBytes) };

  const handle = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    const path = url.split(/[?#]/, 1)[0] ?? '/';
    const match = REACT_PATH.exec(path);
    const log = logger.child({ url: redactUrl(url) });
    if (!match) {
      metrics.wsRejected.inc({ status: '404' });
      return rejectPlain(socket, 'ERR_NOT_FOUND', 'No WebSocket is served at this path.');
    }
    if (deps.runs.draining) {
      metrics.wsRejected.inc({ status: '503' });
      return rejectPlain(socket, 'ERR_SERVICE_UNAVAILABLE', 'This replica is restarting; retry.');
    }
    const decision = await authenticateUpgrade(req, verifier);
    if (!decision.allow) {
      metrics.wsRejected.inc({ status: String(decision.status) });
      log.info({ status: decision.status, code: decision.code }, 'websocket refused');
      return rejectUpgrade(socket, decision.code);
    }
    // Per-user caps, after authentication (they key on the verified user id) and before any work.
    const uid = decision.user.uid;
    const refused = await upgrades.consume(String(uid)).then(
      () => undefined,
      (error: unknown) => {
        if (error instanceof RateLimiterRes) return retryAfterSeconds(error.msBeforeNext);
        throw error;
      },
    );
    if (refused !== undefined) {
      metrics.wsRejected.inc({ status: '429' });
      log.info({ uid, limit: 'upgrades' }, 'websocket refused: upgrade rate');
      return rejectPlain(
        socket,
        'ERR_RATE_LIMITED',
        `At most ${limits.upgradesPerMinute} WebSocket connections a minute per user.`,
        refused,
      );
    }
    if ((openByUser.get(uid) ?? 0) >= limits.maxSocketsPerUser) {
      metrics.wsRejected.inc({ status: '429' });
      log.info({ uid, limit: 'sockets' }, 'websocket refused: too many open');
      return rejectPlain(
        socket,
        'ERR_RATE_LIMITED',
        `At most ${limits.maxSocketsPerUser} WebSockets may be open at once per user; close one.`,
        FULL_RETRY_AFTER_SECONDS,
      );
    }
    // The slot is taken now, before anything that may wait, and given back when the TCP socket
    // closes, whichever way this upgrade ends (refused below, failed, or a session that closed).
    if (socket.destroyed) return;
    openByUser.set(uid, (openByUser.get(uid) ?? 0) + 1);
    socket.once('close', () => {
      const left = (openByUser.get(uid) ?? 1) - 1;
      if (left > 0) openByUser.set(uid, left);
      else openByUser.delete(uid);
    });
    let raw: string;
    try {
      raw = decodeURIComponent(match[1] ?? '');
    } catch {
      raw = '';
    }
    const id = AgentId.safeParse(raw);
    if (!id.success) {
      metrics.wsRejected.inc({ status: '400' });
      return rejectPlain(socket, 'ERR_BAD_REQUEST', 'The agent id must be a UUID.');
    }
    const agent = await store.getAgent(id.data);
    if (!agent || !policy.mayAccess(decision.user, agent, 'read')) {
      metrics.wsRejected.inc({ status: '404' });
      return rejectPlain(socket, 'ERR_NOT_FOUND', 'No agent has this id.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      startSession(ws, agent, { user: decision.user, exp: decision.exp }, sessionDeps);
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    handle(req, socket, head).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError) {
        metrics.wsRejected.inc({ status: '503' });
        return rejectPlain(
          socket,
          'ERR_SERVICE_UNAVAILABLE',
          'The agent database is unreachable; retry shortly.',
        );
      }
      logger.error({ err: error, url: redactUrl(req.url ?? '') }, 'websocket upgrade failed');
      socket.destroy();
    });
  });
  return wss;
}
