import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ACCESS_TOKEN_QUERY,
  type Agent,
  type AgentSettings,
  DEFAULT_SETTINGS,
  PROTOCOL_VERSION,
  REACT_SUBPROTOCOL,
  type ServerEvent,
} from '@agentauth/agent-api';
import { readOfferedProtocols } from '@agentauth/auth-core';
import { selectProtocol } from '@agentauth/auth-core/ws';
import { type WebSocket, WebSocketServer } from 'ws';

/** One request as the fake service received it. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  /** The query string with its `?`, or empty. */
  readonly search: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** One WebSocket handshake as the fake service received it. */
export interface RecordedUpgrade {
  readonly path: string;
  /** The raw query string, exactly as sent. */
  readonly rawQuery: string;
  /** The real subprotocols offered (the bearer entry removed). */
  readonly protocols: readonly string[];
  readonly token: string | null;
}

export interface FakeAgentService {
  readonly baseUrl: string;
  readonly requests: Recorded[];
  readonly upgrades: RecordedUpgrade[];
  /** Server side of the open sockets, newest last. */
  readonly sockets: WebSocket[];
  readonly agents: Map<string, Agent>;
  /** Tokens the service accepts; `restricted` ones get 403. Anything else gets 401. */
  readonly tokens: { allowed: Set<string>; restricted: Set<string> };
  /** Answers the next REST request(s) with this status and body instead of the normal route. */
  failNext(
    status: number,
    body?: unknown,
    times?: number,
    headers?: Readonly<Record<string, string>>,
  ): void;
  addAgent(name: string): Agent;
  close(): Promise<void>;
}

/**
 * A small in-memory stand-in for the agent-service over real HTTP and a real WebSocket, recording
 * every request so tests can check exactly which headers and URLs the client sent.
 */
export async function startFakeAgentService(): Promise<FakeAgentService> {
  const requests: Recorded[] = [];
  const upgrades: RecordedUpgrade[] = [];
  const sockets: WebSocket[] = [];
  const agents = new Map<string, Agent>();
  const tokens = { allowed: new Set<string>(), restricted: new Set<string>() };
  const failures: {
    status: number;
    body: unknown;
    headers: Readonly<Record<string, string>>;
  }[] = [];

  const authStatus = (token: string | undefined | null): 200 | 401 | 403 => {
    if (token && tokens.allowed.has(token)) return 200;
    if (token && tokens.restricted.has(token)) return 403;
    return 401;
  };

  const addAgent = (name: string): Agent => {
    const now = new Date().toISOString();
    const agent: Agent = {
      id: randomUUID(),
      name,
      modelType: 'dev-model',
      ownerUid: 7,
      createdAt: now,
      updatedAt: now,
      settings: { ...DEFAULT_SETTINGS, tools: [...DEFAULT_SETTINGS.tools] },
    };
    agents.set(agent.id, agent);
    return agent;
  };

  const send = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Readonly<Record<string, string>> = {},
  ) => {
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res
      .writeHead(status, { ...headers, 'content-type': 'application/json' })
      .end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { error: { code, message } });

  const route = (req: IncomingMessage, res: ServerResponse, path: string, body: string) => {
    const failure = failures.shift();
    if (failure) return send(res, failure.status, failure.body, failure.headers);
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const auth = authStatus(bearer);
    if (auth === 401) return error(res, 401, 'ERR_TOKEN_EXPIRED', 'The token has expired.');
    if (auth === 403) return error(res, 403, 'ERR_ROLE_FORBIDDEN', 'Role not allowed.');
    const method = req.method ?? 'GET';
    if (path === '/api/agents' && method === 'GET') {
      return send(res, 200, { agents: [...agents.values()] });
    }
    if (path === '/api/agents' && method === 'POST') {
      const input = JSON.parse(body) as { name: string };
      return send(res, 201, addAgent(input.name));
    }
    if (path === '/api/agents/models' && method === 'GET') {
      return send(res, 200, { models: [{ id: 'dev-model', ownedBy: 'agentauth' }] });
    }
    if (path === '/api/agents/usage' && method === 'GET') {
      const totals = { llmCalls: 2, promptTokens: 30, completionTokens: 12 };
      return send(res, 200, {
        uid: 7,
        since: '2026-12-01T00:00:00.000Z',
        total: totals,
        byModel: [{ model: 'dev-model', ...totals }],
        limits: {
          maxConcurrentRuns: 3,
          runStartsPerMinute: 30,
          maxTokensPerCall: 4096,
          dailyTokenBudget: null,
        },
      });
    }
    const match = /^\/api\/agents\/([^/]+)(\/settings|\/stop|\/steps|\/prompt)?$/.exec(path);
    const agent = match?.[1] ? agents.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !agent) return error(res, 404, 'ERR_NOT_FOUND', 'No agent has this id.');
    const tail = match[2] ?? '';
    if (tail === '' && method === 'GET') return send(res, 200, agent);
    if (tail === '' && method === 'DELETE') {
      agents.delete(agent.id);
      return send(res, 204);
    }
    if (tail === '/settings' && method === 'GET') return send(res, 200, agent.settings);
    if (tail === '/settings' && method === 'PATCH') {
      const settings: AgentSettings = { ...agent.settings, ...JSON.parse(body) };
      agents.set(agent.id, { ...agent, settings });
      return send(res, 200, settings);
    }
    if (tail === '/stop' && method === 'POST') return send(res, 200, { stopped: false });
    // One older page behind the newest: a cursor, then the start of the history.
    if (tail === '/steps' && method === 'GET') {
      const before = new URL(req.url ?? '/', 'http://x').searchParams.get('before');
      return send(res, 200, before === null ? { steps: [], older: '41' } : { steps: [] });
    }
    if (tail === '/prompt' && method === 'POST') return send(res, 202, { runId: 'run-1' });
    return error(res, 404, 'ERR_NOT_FOUND', 'No such route.');
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      requests.push({
        method: req.method ?? '',
        path,
        search: url.search,
        authorization: req.headers.authorization,
        body,
      });
      route(req, res, path, body);
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => selectProtocol(offered, [REACT_SUBPROTOCOL]),
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const protocol = req.headers['sec-websocket-protocol'];
    const [fromProtocol] = readOfferedProtocols(protocol).tokens;
    const token = url.searchParams.get(ACCESS_TOKEN_QUERY) ?? fromProtocol ?? null;
    upgrades.push({
      path: url.pathname,
      rawQuery: url.search.slice(1),
      token,
      protocols: readOfferedProtocols(protocol).protocols,
    });
    const id = /^\/api\/agents\/([^/]+)\/react$/.exec(url.pathname)?.[1];
    const auth = authStatus(token);
    const agent = id ? agents.get(decodeURIComponent(id)) : undefined;
    const refuse = auth !== 200 ? auth : agent ? 0 : 404;
    if (refuse) {
      socket.end(`HTTP/1.1 ${refuse} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      const snapshot: ServerEvent = {
        v: PROTOCOL_VERSION,
        type: 'snapshot',
        agent: agent as Agent,
        status: 'idle',
        steps: [],
      };
      ws.send(JSON.stringify(snapshot));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    upgrades,
    sockets,
    agents,
    tokens,
    failNext(status, body, times = 1, headers = {}) {
      for (let i = 0; i < times; i++) failures.push({ status, body, headers });
    },
    addAgent,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
