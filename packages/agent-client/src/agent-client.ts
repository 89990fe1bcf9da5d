import {
  type AccessMode,
  Agent,
  AgentListResponse,
  AgentSettings,
  agentPaths,
  type CreateAgentRequest,
  type ModelInfo,
  ModelListResponse,
  PromptResponse,
  StepsPage,
  StopResponse,
  type UpdateSettingsRequest,
  UsageResponse,
} from '@agentauth/agent-api';
import { type AgentSession, type AgentSessionOptions, openAgentSession } from './agent-session.js';
import { type RequestDeps, request } from './request.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { sleep } from './sleep.js';
import { createTokenStore, type TokenStore } from './token-store.js';

export interface AgentClientOptions {
  /** Gateway origin; default `location.origin` (the app is served by the gateway). */
  readonly baseUrl?: string;
  /** Default: `createTokenStore()` over `localStorage["access_token"]`. */
  readonly tokens?: TokenStore;
  readonly fetch?: typeof fetch;
  /** WebSocket constructor; default the global one. */
  readonly WebSocket?: WebSocketConstructor;
  /** Retries of idempotent requests after network failures; `{ retries: 0, … }` disables. */
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout of a REST request, in ms (default 15 s). */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

/** The subset of the WebSocket constructor the session needs (the browser's, or `ws` in Node). */
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocket;

/** Which page of an agent's history `listSteps` fetches. */
export interface StepsPageRequest {
  /** A cursor from a snapshot's or page's `older`. */
  readonly before?: string;
  /** Steps per page, 1–`STEPS_PAGE_MAX` (the service's default is `STEPS_PAGE_DEFAULT`). */
  readonly limit?: number;
}

/** Per-call options. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Typed access to every agent-service route; see {@link createAgentClient}. */
export interface AgentClient {
  readonly tokens: TokenStore;
  listAgents(options?: CallOptions): Promise<Agent[]>;
  /** The list with the service's access policy (`shared`: every user sees every agent). */
  listAgentsWithAccess(options?: CallOptions): Promise<{ agents: Agent[]; access: AccessMode }>;
  createAgent(input: CreateAgentRequest, options?: CallOptions): Promise<Agent>;
  getAgent(id: string, options?: CallOptions): Promise<Agent>;
  deleteAgent(id: string, options?: CallOptions): Promise<void>;
  getSettings(id: string, options?: CallOptions): Promise<AgentSettings>;
  updateSettings(
    id: string,
    patch: UpdateSettingsRequest,
    options?: CallOptions,
  ): Promise<AgentSettings>;
  /** Interrupts the agent's run; resolves `true` when a run was actually stopped. */
  stopAgent(id: string, options?: CallOptions): Promise<boolean>;
  listModels(options?: CallOptions): Promise<ModelInfo[]>;
  /**
   * Older history, a page at a time: the steps before `page.before` (the snapshot's or the last
   * page's `older` cursor; without it, the newest), oldest first, with the next cursor while more
   * remain.
   */
  listSteps(id: string, page?: StepsPageRequest, options?: CallOptions): Promise<StepsPage>;
  /** The caller's own LLM usage today and the limits that apply to them. */
  getUsage(options?: CallOptions): Promise<UsageResponse>;
  /**
   * Starts a run without a socket (its events go to the agent's sockets); resolves the run id.
   * Refusals are typed errors carrying the service code (`ERR_RATE_LIMITED`, …).
   */
  promptAgent(id: string, text: string, options?: CallOptions): Promise<string>;
  /** Opens the agent's chat WebSocket (token in a bearer subprotocol entry), reconnecting as needed. */
  openSession(id: string, options: AgentSessionOptions): AgentSession;
}

/**
 * Creates the agent-service client. Every call reads the token from `tokens` when it is sent and
 * attaches it (REST: `Authorization: Bearer`; WebSocket: a `Sec-WebSocket-Protocol` bearer entry, never the URL); answers are validated
 * against the agent-api schemas; failures are typed errors (`SessionExpiredError` on 401,
 * `ForbiddenError` on 403, …).
 * @example
 * const client = createAgentClient();
 * const agents = await client.listAgents();
 */
export function createAgentClient(options: AgentClientOptions = {}): AgentClient {
  const baseUrl = options.baseUrl ?? globalThis.location.origin;
  const tokens = options.tokens ?? createTokenStore();
  const deps: RequestDeps = {
    baseUrl,
    tokens,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    retry: options.retry ?? DEFAULT_RETRY,
    timeoutMs: options.timeoutMs ?? 15_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
  };
  const client: AgentClient = {
    tokens,
    listAgentsWithAccess: (call) =>
      request(deps, 'GET', agentPaths.list(), {
        schema: AgentListResponse,
        what: 'agent list',
        signal: call?.signal,
      }),
    async listAgents(call) {
      return (await client.listAgentsWithAccess(call)).agents;
    },
    createAgent: (input, call) =>
      request(deps, 'POST', agentPaths.list(), {
        body: input,
        schema: Agent,
        what: 'agent',
        signal: call?.signal,
      }),
    getAgent: (id, call) =>
      request(deps, 'GET', agentPaths.one(id), {
        schema: Agent,
        what: 'agent',
        signal: call?.signal,
      }),
    deleteAgent: (id, call) =>
      request<void>(deps, 'DELETE', agentPaths.one(id), {
        notFoundIsDoneOnRetry: true,
        signal: call?.signal,
      }),
    getSettings: (id, call) =>
      request(deps, 'GET', agentPaths.settings(id), {
        schema: AgentSettings,
        what: 'settings',
        signal: call?.signal,
      }),
    updateSettings: (id, patch, call) =>
      request(deps, 'PATCH', agentPaths.settings(id), {
        body: patch,
        schema: AgentSettings,
        what: 'settings',
        signal: call?.signal,
      }),
    async stopAgent(id, call) {
      const body = await request(deps, 'POST', agentPaths.stop(id), {
        schema: StopResponse,
        what: 'stop answer',
        signal: call?.signal,
      });
      return body.stopped;
    },
    async listModels(call) {
      const body = await request(deps, 'GET', agentPaths.models(), {
        schema: ModelListResponse,
        what: 'model list',
        signal: call?.signal,
      });
      return body.models;
    },
    listSteps: (id, page = {}, call) => {
      const query = new URLSearchParams();
      if (page.before !== undefined) query.set('before', page.before);
      if (page.limit !== undefined) query.set('limit', String(page.limit));
      const search = query.size > 0 ? `?${query}` : '';
      return request(deps, 'GET', `${agentPaths.steps(id)}${search}`, {
        schema: StepsPage,
        what: 'page of steps',
        signal: call?.signal,
      });
    },
    getUsage: (call) =>
      request(deps, 'GET', agentPaths.usage(), {
        schema: UsageResponse,
        what: 'usage',
        signal: call?.signal,
      }),
    async promptAgent(id, text, call) {
      const body = await request(deps, 'POST', agentPaths.prompt(id), {
        body: { text },
        schema: PromptResponse,
        what: 'prompt answer',
        signal: call?.signal,
      });
      return body.runId;
    },
    openSession: (id, sessionOptions) =>
      openAgentSession(
        {
          baseUrl,
          tokens,
          WebSocket: options.WebSocket ?? globalThis.WebSocket,
          retry: deps.retry,
          random: deps.random,
          probe: () => client.getAgent(id).then(() => undefined),
        },
        id,
        sessionOptions,
      ),
  };
  return client;
}
