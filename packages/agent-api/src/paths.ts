/** Where the unauthenticated health check lives. */
export const HEALTHCHECK_PATH = '/api/healthcheck';

/** The prefix of every authenticated agent route. */
export const AGENTS_BASE_PATH = '/api/agents';

/** The query parameter that carries the token on the WebSocket (browsers cannot set headers). */
export const ACCESS_TOKEN_QUERY = 'access-token';

const one = (id: string) => `${AGENTS_BASE_PATH}/${encodeURIComponent(id)}`;

/**
 * Builders for every agent-service route (the same strings the service mounts, as express
 * patterns in `agentRoutes`).
 * @example fetch(base + agentPaths.settings(agent.id), { method: 'PATCH', ... })
 */
export const agentPaths = {
  /** `GET` list, `POST` create. */
  list: () => AGENTS_BASE_PATH,
  /** `GET` the models of the configured LLM endpoint. */
  models: () => `${AGENTS_BASE_PATH}/models`,
  /** `GET` the caller's own LLM usage today and their limits. */
  usage: () => `${AGENTS_BASE_PATH}/usage`,
  /** `GET` one agent, `DELETE` it. */
  one,
  /** `GET` / `PATCH` settings. */
  settings: (id: string) => `${one(id)}/settings`,
  /** `POST` interrupts the agent's running prompt. */
  stop: (id: string) => `${one(id)}/stop`,
  /** `GET` older history, a page at a time (`?before=<cursor>&limit=<n>`). */
  steps: (id: string) => `${one(id)}/steps`,
  /** `POST` starts a run (as a WebSocket prompt frame does). */
  prompt: (id: string) => `${one(id)}/prompt`,
  /** The WebSocket path. */
  react: (id: string) => `${one(id)}/react`,
} as const;

/** The express route patterns the service mounts (relative to nothing: full paths). */
export const agentRoutes = {
  list: AGENTS_BASE_PATH,
  models: `${AGENTS_BASE_PATH}/models`,
  usage: `${AGENTS_BASE_PATH}/usage`,
  one: `${AGENTS_BASE_PATH}/:id`,
  settings: `${AGENTS_BASE_PATH}/:id/settings`,
  stop: `${AGENTS_BASE_PATH}/:id/stop`,
  steps: `${AGENTS_BASE_PATH}/:id/steps`,
  prompt: `${AGENTS_BASE_PATH}/:id/prompt`,
  react: `${AGENTS_BASE_PATH}/:id/react`,
} as const;

/**
 * The WebSocket URL for an agent: `http(s)` becomes `ws(s)`. With `token`, it goes in
 * `access-token` (the platform's older clients); the web client passes none and sends its token
 * in a bearer `Sec-WebSocket-Protocol` entry instead, so no token is in any URL it opens.
 * @example reactSocketUrl('https://texera.example', id) // 'wss://texera.example/api/agents/<id>/react'
 */
export function reactSocketUrl(baseUrl: string, id: string, token?: string): string {
  const url = new URL(agentPaths.react(id), baseUrl);
  url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  if (token !== undefined) url.searchParams.set(ACCESS_TOKEN_QUERY, token);
  return url.toString();
}
