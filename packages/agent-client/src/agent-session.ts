import {
  CLOSE_CODE,
  formatZodError,
  PROTOCOL_VERSION,
  PromptFrame,
  REACT_SUBPROTOCOL,
  reactSocketUrl,
  ServerEvent,
  type StopFrame,
} from '@agentauth/agent-api';
import { bearerProtocol } from '@agentauth/auth-core/websocket-protocol';
import {
  type AgentClientError,
  BadRequestError,
  ForbiddenError,
  InvalidResponseError,
  isAgentClientError,
  NotFoundError,
  SessionExpiredError,
} from './errors.js';
import { backoffDelay, type RetryPolicy } from './retry.js';
import type { TokenStore } from './token-store.js';

/**
 * Where a chat session stands. `session-expired` and `forbidden` wait for a new token (a fresh
 * sign-in reconnects by itself); `agent-gone` and `closed` are final.
 */
export type SessionState =
  | 'connecting'
  | 'open'
  | 'reconnecting'
  | 'session-expired'
  | 'forbidden'
  | 'agent-gone'
  | 'closed';

export interface AgentSessionOptions {
  /** Every server event, already validated against the agent-api protocol schema. */
  onEvent(event: ServerEvent): void;
  /** State changes; `error` says why for `session-expired`, `forbidden` and `agent-gone`. */
  onStateChange?(state: SessionState, error?: AgentClientError): void;
  /** A frame that is not a valid protocol event (it is dropped). */
  onProtocolError?(error: InvalidResponseError): void;
}

/** A live chat connection to one agent. */
export interface AgentSession {
  readonly state: SessionState;
  /**
   * Starts a run. Returns `false` when the socket is not open (nothing is sent); throws
   * `BadRequestError` when the text is not a valid prompt (empty, too long).
   */
  sendPrompt(text: string): boolean;
  /** Asks the running prompt to stop; `false` when the socket is not open. */
  stop(): boolean;
  /** Reconnects now (e.g. after the user signed in again). */
  reconnect(): void;
  /** Closes for good. */
  close(): void;
}

export interface AgentSessionDeps {
  readonly baseUrl: string;
  readonly tokens: TokenStore;
  readonly WebSocket: new (url: string, protocols: string[]) => WebSocket;
  readonly retry: RetryPolicy;
  readonly random: () => number;
  /**
   * An authenticated REST call about the same agent. A browser reports a refused handshake
   * (401/403/404) only as close code 1006, so after a failed handshake the session asks REST why.
   */
  readonly probe: () => Promise<void>;
}

/**
 * Opens an agent's chat WebSocket at `/api/agents/:id/react`, offering the subprotocols
 * `agentauth.react.v1` and `base64url.bearer.authorization.agentauth.dev.<token>` (the token never
 * goes in the URL, which browsers print in their console when a connection fails), reading the
 * token from the token store at each (re)connect. Closed for expiry (4401) → reconnects at once
 * if a newer token is stored, else reports `session-expired` and reconnects when one arrives.
 * Closed for a service restart (1012, a rolling update) → reconnects after the shortest backoff.
 * The URL is never logged nor put in an error.
 * @example
 * const session = openAgentSession(deps, agent.id, { onEvent: (e) => render(e) });
 * session.sendPrompt('What is 6*7?');
 */
/** `WebSocket.CONNECTING`, without needing the global (Node, tests). */
const CONNECTING = 0;

export function openAgentSession(
  deps: AgentSessionDeps,
  agentId: string,
  options: AgentSessionOptions,
): AgentSession {
  let state: SessionState = 'connecting';
  let socket: WebSocket | undefined;
  let tokenUsed: string | null = null;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | undefined;
  let final = false;

  const setState = (next: SessionState, error?: AgentClientError) => {
    state = next;
    options.onStateChange?.(next, error);
  };

  const stopWaiting = () => {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    unsubscribe?.();
    unsubscribe = undefined;
  };

  /** Reconnects as soon as the token store holds a token other than the refused one. */
  const waitForNewToken = () => {
    unsubscribe?.();
    unsubscribe = deps.tokens.subscribe((token) => {
      if (token !== null && token !== tokenUsed) {
        stopWaiting();
        connect('reconnecting');
      }
    });
  };

  const scheduleReconnect = () => {
    setState('reconnecting');
    const delay = backoffDelay(Math.min(failures, 10), deps.retry, deps.random);
    failures++;
    retryTimer = setTimeout(() => connect('reconnecting'), delay);
  };

  const blockedBy = (error: AgentClientError) => {
    if (error instanceof NotFoundError) {
      final = true;
      setState('agent-gone', error);
      return;
    }
    setState(error instanceof ForbiddenError ? 'forbidden' : 'session-expired', error);
    waitForNewToken();
  };

  const onClose = (code: number, opened: boolean) => {
    socket = undefined;
    if (final) return;
    if (code === CLOSE_CODE.tokenExpired) {
      const current = deps.tokens.get();
      if (current !== null && current !== tokenUsed) return connect('reconnecting');
      return blockedBy(new SessionExpiredError('rejected'));
    }
    if (code === CLOSE_CODE.forbidden) return blockedBy(new ForbiddenError());
    if (code === CLOSE_CODE.serviceRestart) {
      // A rolling update moved this socket: not a failure, so the first (short, jittered) delay;
      // another replica answers with a snapshot, and what is on screen stays until it arrives.
      failures = 0;
      return scheduleReconnect();
    }
    if (code === CLOSE_CODE.agentDeleted) {
      return blockedBy(new NotFoundError('This agent was deleted.'));
    }
    if (opened) return scheduleReconnect();
    // The handshake failed: a refused token looks like a network error here, so ask REST.
    deps.probe().then(
      () => !final && scheduleReconnect(),
      (error: unknown) => {
        if (final) return;
        if (
          isAgentClientError(error) &&
          (error instanceof SessionExpiredError ||
            error instanceof ForbiddenError ||
            error instanceof NotFoundError)
        ) {
          return blockedBy(error);
        }
        scheduleReconnect();
      },
    );
  };

  const onMessage = (data: unknown) => {
    let json: unknown;
    try {
      if (typeof data !== 'string') throw new TypeError('binary frame');
      json = JSON.parse(data);
    } catch (error) {
      options.onProtocolError?.(new InvalidResponseError('WebSocket frame', error));
      return;
    }
    const parsed = ServerEvent.safeParse(json);
    if (!parsed.success) {
      options.onProtocolError?.(new InvalidResponseError('WebSocket event', parsed.error));
      return;
    }
    options.onEvent(parsed.data);
  };

  function connect(as: 'connecting' | 'reconnecting') {
    if (final) return;
    const token = deps.tokens.get();
    if (token === null) {
      tokenUsed = null;
      return blockedBy(new SessionExpiredError('missing'));
    }
    tokenUsed = token;
    setState(as);
    let opened = false;
    const ws = new deps.WebSocket(reactSocketUrl(deps.baseUrl, agentId), [
      REACT_SUBPROTOCOL,
      bearerProtocol(token),
    ]);
    socket = ws;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      setState('open');
    };
    ws.onmessage = (event) => onMessage(event.data);
    // A close always follows an error; handling it there keeps the URL out of any report.
    ws.onerror = () => {};
    ws.onclose = (event) => {
      if (socket === ws) onClose(event.code, opened);
    };
  }

  /**
   * Closes a socket this session gave up. One still connecting is closed as soon as it opens
   * instead: closing it earlier makes browsers print a warning that names its URL, and that URL
   * carries the token.
   */
  const discard = (ws: WebSocket | undefined) => {
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    if (ws.readyState === CONNECTING) ws.onopen = () => ws.close(CLOSE_CODE.normal);
    else ws.close(CLOSE_CODE.normal);
  };

  const send = (frame: PromptFrame | StopFrame): boolean => {
    if (state !== 'open' || socket === undefined) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  connect('connecting');

  return {
    get state() {
      return state;
    },
    sendPrompt(text) {
      const frame = PromptFrame.safeParse({ v: PROTOCOL_VERSION, type: 'prompt', text });
      if (!frame.success) throw new BadRequestError(formatZodError(frame.error));
      return send(frame.data);
    },
    stop: () => send({ v: PROTOCOL_VERSION, type: 'stop' }),
    reconnect() {
      if (final) return;
      stopWaiting();
      const old = socket;
      socket = undefined;
      discard(old);
      failures = 0;
      connect('reconnecting');
    },
    close() {
      if (final) return;
      final = true;
      stopWaiting();
      const old = socket;
      socket = undefined;
      discard(old);
      setState('closed');
    },
  };
}
