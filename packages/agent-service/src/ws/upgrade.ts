import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { AgentId, REACT_SUBPROTOCOL } from '@agentauth/agent-api';
import { redactUrl, type TokenVerifier } from '@agentauth/auth-core';
import { authenticateUpgrade, rejectUpgrade, selectProtocol } from '@agentauth/auth-core/ws';
import { WebSocketServer } from 'ws';
import { StoreUnavailableError } from '../store/agent-store.js';
import { rejectPlain } from './reject-plain.js';
import { type SessionDeps, startSession } from './session.js';

export interface WebSocketDeps extends SessionDeps {
  readonly verifier: TokenVerifier;
  readonly maxPayload: number;
}

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
  const { verifier, store, policy, logger, metrics, maxPayload } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    // ws would echo the first offered entry, which may be the bearer one carrying the token.
    handleProtocols: (offered) => selectProtocol(offered, [REACT_SUBPROTOCOL]),
  });

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
      startSession(ws, agent, { user: decision.user, exp: decision.exp }, deps);
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
