import { send } from './http-client.js';
import type { E2eStack } from './stack.js';
import { closeSession, openSocket } from './websocket-client.js';

/** What one entry point answered to a request carrying a token. */
export interface Answer {
  /** HTTP status; 101 for an accepted WebSocket handshake. */
  readonly status: number;
  /** `error.code` of a refusal body. */
  readonly code: string | undefined;
  readonly challenge: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A way into the system: the gateway, the authorize endpoint (two shapes) or the agent-service. */
export interface EntryPoint {
  readonly name: string;
  /** What "admitted" looks like: 200 for REST and the authorize endpoint, 101 for a WebSocket. */
  readonly admitted: 200 | 101;
  probe(token: string): Promise<Answer>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const q = (token: string) => `access-token=${encodeURIComponent(token)}`;

async function http(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await send(url, { headers });
  const challenge = res.headers['www-authenticate'];
  return {
    status: res.status,
    code: res.code,
    challenge: typeof challenge === 'string' ? challenge : undefined,
    headers: res.headers,
    body: res.body,
  };
}

async function socket(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const hs = await openSocket(url, headers);
  if (hs.status === 101 && 'session' in hs) {
    const snapshot = await hs.session.next((e) => e.type === 'snapshot', 5_000);
    await closeSession(hs.session);
    return {
      status: 101,
      code: undefined,
      challenge: undefined,
      headers: {},
      body: JSON.stringify(snapshot),
    };
  }
  if (!('body' in hs)) throw new Error('unreachable');
  let code: string | undefined;
  try {
    code = (JSON.parse(hs.body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  const challenge = hs.headers['www-authenticate'];
  return {
    status: hs.status,
    code,
    challenge: typeof challenge === 'string' ? challenge : undefined,
    headers: hs.headers,
    body: hs.body,
  };
}

/**
 * Every way a token can be presented, against a running stack and an existing agent: through
 * nginx (REST with Bearer or query, the WebSocket), the access-control-service in its Envoy and
 * nginx shapes, and the agent-service itself (REST and WebSocket).
 * @example for (const entry of entryPoints(stack, agentId)) await entry.probe(token)
 */
export function entryPoints(stack: E2eStack, agentId: string): EntryPoint[] {
  const gwWs = `ws://127.0.0.1:${stack.gatewayPort}`;
  const react = `/api/agents/${agentId}/react`;
  return [
    {
      name: 'nginx, REST, Authorization: Bearer',
      admitted: 200,
      probe: (t) => http(`${stack.origin}/api/agents/${agentId}`, bearer(t)),
    },
    {
      name: 'nginx, REST, ?access-token=',
      admitted: 200,
      probe: (t) => http(`${stack.origin}/api/agents/${agentId}/settings?${q(t)}`),
    },
    {
      name: 'nginx, WebSocket, ?access-token=',
      admitted: 101,
      probe: (t) => socket(`${gwWs}${react}?${q(t)}`),
    },
    {
      name: 'access-control-service, Envoy shape, Bearer',
      admitted: 200,
      probe: (t) => http(`${stack.acsUrl}/api/auth/api/agents/${agentId}/settings`, bearer(t)),
    },
    {
      name: 'access-control-service, Envoy shape, WebSocket query',
      admitted: 200,
      probe: (t) => http(`${stack.acsUrl}/api/auth${react}?${q(t)}`),
    },
    {
      name: 'access-control-service, nginx shape, Bearer',
      admitted: 200,
      probe: (t) =>
        http(`${stack.acsUrl}/api/auth`, {
          ...bearer(t),
          'x-original-uri': `/api/agents/${agentId}`,
          'x-original-method': 'DELETE',
        }),
    },
    {
      name: 'access-control-service, nginx shape, X-Original-URI query',
      admitted: 200,
      probe: (t) =>
        http(`${stack.acsUrl}/api/auth`, {
          'x-original-uri': `${react}?${q(t)}`,
          'x-original-method': 'GET',
        }),
    },
    {
      name: 'agent-service, REST, Authorization: Bearer',
      admitted: 200,
      probe: (t) => http(`${stack.agentUrl}/api/agents/${agentId}`, bearer(t)),
    },
    {
      name: 'agent-service, REST, ?access-token=',
      admitted: 200,
      probe: (t) => http(`${stack.agentUrl}/api/agents?${q(t)}`),
    },
    {
      name: 'agent-service, WebSocket, ?access-token=',
      admitted: 101,
      probe: (t) => socket(`${stack.agentWsUrl}${react}?${q(t)}`),
    },
    {
      name: 'agent-service, WebSocket, Authorization: Bearer',
      admitted: 101,
      probe: (t) => socket(`${stack.agentWsUrl}${react}`, bearer(t)),
    },
  ];
}
