import {
  type Agent,
  type AgentSettings,
  DEFAULT_SETTINGS,
  PROTOCOL_VERSION,
  type ServerEvent,
  type Step,
} from '@agentauth/agent-api';
import {
  type AgentClient,
  createAgentClient,
  createTokenStore,
  memoryStorage,
  TOKEN_STORAGE_KEY,
} from '@agentauth/agent-client';

/** Builds an unsigned token whose payload the UI can read (display only). */
export function displayToken(claims: { sub: string; role: string; exp?: number }): string {
  const b64 = (value: object) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    return btoa(String.fromCharCode(...bytes))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  };
  return `${b64({ alg: 'HS256' })}.${b64({ userId: 7, email: null, exp: 4_000_000_000, ...claims })}.sig`;
}

export const ALICE = displayToken({ sub: 'alice', role: 'REGULAR' });

/** A scripted WebSocket the tests drive from the "server" side. */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  readonly url: string;
  /** The subprotocols offered: the real one and the bearer entry carrying the token. */
  readonly protocols: readonly string[];
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;

  constructor(url: string, protocols: readonly string[] = []) {
    this.url = url;
    this.protocols = protocols;
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  // Server side:
  open() {
    this.onopen?.();
  }
  emit(event: ServerEvent) {
    this.onmessage?.({ data: JSON.stringify(event) });
  }
  drop(code: number) {
    this.onclose?.({ code });
  }
  static latest(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}

interface Call {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly body: unknown;
}

/** An in-memory agent-service behind `fetch`, plus a client wired to it. */
export function fakeBackend(options: { token?: string | null } = {}) {
  const agents = new Map<string, Agent>();
  const calls: Call[] = [];
  /** Per route, a forced answer (status + body) that replaces the normal one while set. */
  const forced = new Map<string, { status: number; body?: unknown }>();
  let models = [{ id: 'dev-model', ownedBy: 'agentauth' }, { id: 'dev-model-large' }];
  let counter = 0;

  const addAgent = (
    name: string,
    settings: Partial<AgentSettings> = {},
    extra: Partial<Agent> = {},
  ): Agent => {
    counter++;
    const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
    const agent: Agent = {
      id,
      name,
      modelType: 'dev-model',
      ownerUid: 7,
      createdAt: '2025-01-01T00:00:00.000Z',
      updatedAt: '2025-01-01T00:00:00.000Z',
      settings: { ...DEFAULT_SETTINGS, tools: [...DEFAULT_SETTINGS.tools], ...settings },
      ...extra,
    };
    agents.set(id, agent);
    return agent;
  };

  const json = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });

  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({
      method,
      path: url.pathname,
      authorization: new Headers(init.headers).get('authorization'),
      body,
    });
    const force = forced.get(`${method} ${url.pathname}`) ?? forced.get('*');
    if (force) {
      if (force.status === 0) throw new TypeError('Failed to fetch');
      return json(force.status, force.body);
    }
    const path = url.pathname;
    if (path === '/api/agents' && method === 'GET')
      return json(200, { agents: [...agents.values()] });
    if (path === '/api/agents' && method === 'POST') {
      const agent = addAgent(body.name);
      const created = { ...agent, modelType: body.modelType };
      agents.set(agent.id, created);
      return json(201, created);
    }
    if (path === '/api/agents/models') return json(200, { models });
    const match = /^\/api\/agents\/([^/]+)(\/settings|\/stop)?$/.exec(path);
    const agent = match?.[1] ? agents.get(match[1]) : undefined;
    if (!agent)
      return json(404, { error: { code: 'ERR_NOT_FOUND', message: 'No agent has this id.' } });
    const tail = match?.[2] ?? '';
    if (tail === '' && method === 'GET') return json(200, agent);
    if (tail === '' && method === 'DELETE') {
      agents.delete(agent.id);
      return json(204);
    }
    if (tail === '/settings' && method === 'GET') return json(200, agent.settings);
    if (tail === '/settings' && method === 'PATCH') {
      const settings = { ...agent.settings, ...body };
      agents.set(agent.id, { ...agent, settings });
      return json(200, settings);
    }
    if (tail === '/stop') return json(200, { stopped: true });
    return json(404, { error: { code: 'ERR_NOT_FOUND', message: 'No route.' } });
  };

  const token = options.token === undefined ? ALICE : options.token;
  const storage = memoryStorage(token ? { [TOKEN_STORAGE_KEY]: token } : {});
  const tokens = createTokenStore({ storage });
  FakeSocket.instances = [];
  const client: AgentClient = createAgentClient({
    baseUrl: 'http://app.test',
    tokens,
    fetch: fetch as typeof globalThis.fetch,
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });

  return {
    client,
    tokens,
    storage,
    agents,
    calls,
    addAgent,
    setModels: (next: typeof models) => {
      models = next;
    },
    /** Answers `METHOD /path` (or `*` for everything) with this status; status 0 = offline. */
    force: (route: string, status: number, body?: unknown) => forced.set(route, { status, body }),
    unforce: (route: string) => forced.delete(route),
  };
}

/** A completed step with sensible defaults. */
export function step<K extends Step['kind']>(
  kind: K,
  fields: Omit<Extract<Step, { kind: K }>, 'kind' | 'runId' | 'at' | 'seq'> & { seq: number },
): Step {
  return { kind, runId: 'run-1', at: '2025-01-01T00:00:00.000Z', ...fields } as unknown as Step;
}

export const V = PROTOCOL_VERSION;
