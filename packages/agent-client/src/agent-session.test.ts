import {
  CLOSE_CODE,
  PROTOCOL_VERSION,
  REACT_SUBPROTOCOL,
  type ServerEvent,
} from '@agentauth/agent-api';
import { bearerProtocol } from '@agentauth/auth-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { type FakeAgentService, startFakeAgentService } from '../test/fake-agent-service.js';
import { type AgentClient, createAgentClient } from './agent-client.js';
import type { AgentSession, SessionState } from './agent-session.js';
import { BadRequestError, type InvalidResponseError } from './errors.js';
import {
  createTokenStore,
  memoryStorage,
  TOKEN_STORAGE_KEY,
  type TokenStore,
} from './token-store.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
const FRESH = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsIm4iOjJ9.c2ln';

/** Every WebSocket the client constructs (a reconnect constructs one synchronously). */
const created: NodeWebSocket[] = [];
class RecordedWebSocket extends NodeWebSocket {
  constructor(...args: ConstructorParameters<typeof NodeWebSocket>) {
    super(...args);
    created.push(this);
  }
}

/**
 * Resolves after every 0 ms timer set before it: Node runs timers of equal delay in the order they
 * were set, and the test's backoff is 0, so a reconnect the session scheduled has started by then.
 * An ordering barrier, not a guess at how long something takes.
 */
const afterPendingTimers = () => new Promise((resolve) => setTimeout(resolve, 0));

let service: FakeAgentService;
let tokens: TokenStore;
let client: AgentClient;
let session: AgentSession | undefined;

beforeEach(async () => {
  created.length = 0;
  service = await startFakeAgentService();
  service.tokens.allowed.add(TOKEN);
  tokens = createTokenStore({ storage: memoryStorage({ [TOKEN_STORAGE_KEY]: TOKEN }) });
  client = createAgentClient({
    baseUrl: service.baseUrl,
    tokens,
    WebSocket: RecordedWebSocket as unknown as typeof WebSocket,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
});
afterEach(async () => {
  session?.close();
  session = undefined;
  await service.close();
});

/** Opens a session that records its states, events and protocol errors. */
function open(id: string) {
  const states: SessionState[] = [];
  const events: ServerEvent[] = [];
  const protocolErrors: InvalidResponseError[] = [];
  const errors: (Error | undefined)[] = [];
  session = client.openSession(id, {
    onEvent: (event) => events.push(event),
    onStateChange: (state, error) => {
      states.push(state);
      errors.push(error);
    },
    onProtocolError: (error) => protocolErrors.push(error),
  });
  return { session, states, events, protocolErrors, errors };
}

describe('openSession', () => {
  it('connects to /api/agents/:id/react with no query, the token in a bearer subprotocol entry', async () => {
    const agent = service.addAgent('helper');
    const { states, events } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    expect(service.upgrades).toEqual([
      {
        path: `/api/agents/${agent.id}/react`,
        rawQuery: '',
        token: TOKEN,
        protocols: [REACT_SUBPROTOCOL],
      },
    ]);
    expect(service.sockets[0]?.protocol).toBe(REACT_SUBPROTOCOL);
    await vi.waitFor(() => expect(events[0]?.type).toBe('snapshot'));
  });

  it('encodes a token with URL-reserved characters so the server reads it unchanged', async () => {
    const odd = 'a+b/c=d&e?f#g h%';
    service.tokens.allowed.add(odd);
    tokens.set(odd);
    const agent = service.addAgent('helper');
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    expect(service.upgrades[0]?.token).toBe(odd);
    expect(service.upgrades[0]?.rawQuery).toBe('');
  });

  it('uses wss: for an https: page and ws: for http:', () => {
    const sockets: string[] = [];
    const offered: string[][] = [];
    class Recorder {
      constructor(url: string, protocols: string[]) {
        sockets.push(url);
        offered.push(protocols);
      }
      close() {}
    }
    for (const baseUrl of ['https://texera.example', 'http://127.0.0.1:8080']) {
      createAgentClient({
        baseUrl,
        tokens,
        WebSocket: Recorder as unknown as typeof WebSocket,
      })
        .openSession('id-1', { onEvent: () => {} })
        .close();
    }
    expect(sockets).toEqual([
      'wss://texera.example/api/agents/id-1/react',
      'ws://127.0.0.1:8080/api/agents/id-1/react',
    ]);
    for (const protocols of offered)
      expect(protocols).toEqual([REACT_SUBPROTOCOL, bearerProtocol(TOKEN)]);
  });

  it('delivers validated events and drops frames that break the protocol', async () => {
    const agent = service.addAgent('helper');
    const { states, events, protocolErrors } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    const server = service.sockets[0];
    server?.send('not json');
    server?.send(JSON.stringify({ v: 1, type: 'dance' }));
    server?.send(
      JSON.stringify({
        v: PROTOCOL_VERSION,
        type: 'step',
        step: { kind: 'text_delta', runId: 'r1', seq: 0, delta: 'Hel' },
      }),
    );
    await vi.waitFor(() => expect(events).toHaveLength(2));
    expect(events[1]).toMatchObject({ type: 'step', step: { delta: 'Hel' } });
    expect(protocolErrors).toHaveLength(2);
  });

  it('sends prompt and stop frames of the current protocol version', async () => {
    const agent = service.addAgent('helper');
    const { session, states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    const received: string[] = [];
    service.sockets[0]?.on('message', (data) => received.push(String(data)));
    expect(session.sendPrompt('What is 6*7?')).toBe(true);
    expect(session.stop()).toBe(true);
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received.map((r) => JSON.parse(r))).toEqual([
      { v: PROTOCOL_VERSION, type: 'prompt', text: 'What is 6*7?' },
      { v: PROTOCOL_VERSION, type: 'stop' },
    ]);
    expect(() => session.sendPrompt('   ')).toThrow(BadRequestError);
  });

  it('does not send while not open', () => {
    const agent = service.addAgent('helper');
    const { session } = open(agent.id);
    expect(session.state).toBe('connecting');
    expect(session.sendPrompt('hi')).toBe(false);
  });

  it('after a close for expiry (4401), reconnects at once with the newer stored token', async () => {
    const agent = service.addAgent('helper');
    service.tokens.allowed.add(FRESH);
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    tokens.set(FRESH);
    service.sockets[0]?.close(CLOSE_CODE.tokenExpired, 'token expired');
    await vi.waitFor(() => expect(service.upgrades).toHaveLength(2));
    expect(service.upgrades[1]?.token).toBe(FRESH);
    await vi.waitFor(() => expect(states.at(-1)).toBe('open'));
    expect(states).not.toContain('session-expired');
  });

  it('after a close for expiry with no newer token, reports session-expired and waits for a sign-in', async () => {
    const agent = service.addAgent('helper');
    service.tokens.allowed.add(FRESH);
    const { states, errors } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    service.sockets[0]?.close(CLOSE_CODE.tokenExpired, 'token expired');
    await vi.waitFor(() => expect(states.at(-1)).toBe('session-expired'));
    expect(errors.at(-1)?.name).toBe('SessionExpiredError');
    await afterPendingTimers();
    // No reconnect loop with the dead token: no socket was constructed after the first.
    expect(created).toHaveLength(1);
    expect(states.at(-1)).toBe('session-expired');
    expect(service.upgrades).toHaveLength(1);
    tokens.set(FRESH);
    await vi.waitFor(() => expect(states.at(-1)).toBe('open'));
    expect(service.upgrades[1]?.token).toBe(FRESH);
  });

  it('after a refused handshake, asks REST why: 401 → session-expired', async () => {
    const agent = service.addAgent('helper');
    tokens.set('eyJ.expired.token');
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states.at(-1)).toBe('session-expired'));
    expect(service.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/api/agents/${agent.id}`],
    ]);
  });

  it('after a refused handshake, 403 → forbidden', async () => {
    const agent = service.addAgent('helper');
    service.tokens.restricted.add('restricted');
    tokens.set('restricted');
    const { states, errors } = open(agent.id);
    await vi.waitFor(() => expect(states.at(-1)).toBe('forbidden'));
    expect(errors.at(-1)?.message).toMatch(/cannot use agents/);
  });

  it('after a refused handshake for an unknown agent → agent-gone, and stays closed', async () => {
    const { states } = open('5d0c2a8e-3b4d-4c5e-8f6a-7b8c9d0e1f2a');
    await vi.waitFor(() => expect(states.at(-1)).toBe('agent-gone'));
  });

  it.each([
    [CLOSE_CODE.forbidden, 'forbidden'],
    [CLOSE_CODE.agentDeleted, 'agent-gone'],
  ] as const)('maps close code %i to %s', async (code, state) => {
    const agent = service.addAgent('helper');
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    service.sockets[0]?.close(code, 'bye');
    await vi.waitFor(() => expect(states.at(-1)).toBe(state));
  });

  it('after a close for a service restart (1012), reconnects and receives a fresh snapshot', async () => {
    const agent = service.addAgent('helper');
    const { states, events, errors } = open(agent.id);
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(1));
    service.sockets[0]?.close(CLOSE_CODE.serviceRestart, 'service restart');
    await vi.waitFor(() => expect(service.upgrades).toHaveLength(2));
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'snapshot')).toHaveLength(2));
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
    expect(errors.every((e) => e === undefined)).toBe(true);
  });

  it('reconnects with backoff after the connection drops', async () => {
    const agent = service.addAgent('helper');
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    service.sockets[0]?.terminate();
    await vi.waitFor(() => expect(states).toContain('reconnecting'));
    await vi.waitFor(() => expect(service.upgrades).toHaveLength(2));
    await vi.waitFor(() => expect(states.at(-1)).toBe('open'));
  });

  it('close() ends the session for good', async () => {
    const agent = service.addAgent('helper');
    const { session, states } = open(agent.id);
    await vi.waitFor(() => expect(states).toContain('open'));
    session.close();
    // Wait for the socket's own close (the event a reconnect would follow), then for any timer
    // the session could have set on it.
    await vi.waitFor(() => expect(created[0]?.readyState).toBe(NodeWebSocket.CLOSED));
    await afterPendingTimers();
    expect(states.at(-1)).toBe('closed');
    expect(created).toHaveLength(1);
    expect(service.upgrades).toHaveLength(1);
  });

  it('closes a socket that is still connecting only once it opens (browsers warn with its URL otherwise)', () => {
    const made: Recorder[] = [];
    class Recorder {
      readyState = 0;
      closed = false;
      onopen: (() => void) | null = null;
      onclose: unknown = null;
      onmessage: unknown = null;
      onerror: unknown = null;
      constructor() {
        made.push(this);
      }
      close() {
        this.closed = true;
      }
    }
    createAgentClient({
      baseUrl: 'http://127.0.0.1:8080',
      tokens,
      WebSocket: Recorder as unknown as typeof WebSocket,
    })
      .openSession('id-1', { onEvent: () => {} })
      .close();
    const socket = made[0] as Recorder;
    expect(socket.closed).toBe(false);
    socket.readyState = 1;
    socket.onopen?.();
    expect(socket.closed).toBe(true);
  });

  it('never logs (its URL carries the token)', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    );
    const agent = service.addAgent('helper');
    tokens.set('eyJ.expired.token');
    const { states } = open(agent.id);
    await vi.waitFor(() => expect(states.at(-1)).toBe('session-expired'));
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
