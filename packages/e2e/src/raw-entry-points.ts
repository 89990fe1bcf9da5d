import { httpRequest, type RawResponse, rawExchange } from './raw-http.js';
import type { E2eStack } from './stack.js';

/** An entry point driven over a raw socket, for header shapes HTTP libraries refuse to send. */
export interface RawEntryPoint {
  readonly name: string;
  readonly admitted: 200 | 101;
  /**
   * Sends one request whose target carries `query` (without `?`, may be empty) and the extra
   * header lines (exact bytes, latin1), then returns the first response.
   */
  send(query: string, headerLines: readonly string[], body?: string): Promise<RawResponse>;
}

const UPGRADE = [
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
];

/**
 * The entry points of `entryPoints`, driven byte for byte.
 * @example await rawEntryPoints(stack, id)[0].send('', ['Authorization: bearer x'])
 */
export function rawEntryPoints(stack: E2eStack, agentId: string): RawEntryPoint[] {
  const port = (url: string) => Number(new URL(url).port);
  const gw = stack.gatewayPort;
  const acs = port(stack.acsUrl);
  const agent = port(stack.agentUrl);
  const one = `/api/agents/${agentId}`;
  const react = `${one}/react`;
  const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);
  const request = async (
    to: number,
    target: string,
    lines: readonly string[],
    body = '',
    method = body ? 'POST' : 'GET',
  ) => {
    const upgrade = lines.some((l) => /^connection:/i.test(l));
    const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...lines];
    if (!upgrade) head.push('Connection: close');
    if (body)
      head.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    return (await rawExchange(to, httpRequest(head, Buffer.from(body, 'utf8')))).first;
  };
  return [
    {
      name: 'nginx, REST',
      admitted: 200,
      send: (q, lines, body) => request(gw, withQuery(body ? '/api/agents' : one, q), lines, body),
    },
    {
      name: 'nginx, WebSocket',
      admitted: 101,
      send: (q, lines) => request(gw, withQuery(react, q), [...UPGRADE, ...lines]),
    },
    {
      name: 'access-control-service, Envoy shape',
      admitted: 200,
      send: (q, lines, body) => request(acs, withQuery(`/api/auth${one}`, q), lines, body),
    },
    {
      name: 'access-control-service, nginx shape',
      admitted: 200,
      send: (q, lines) =>
        request(acs, '/api/auth', [
          `X-Original-URI: ${withQuery(react, q)}`,
          'X-Original-Method: GET',
          ...lines,
        ]),
    },
    {
      name: 'agent-service, REST',
      admitted: 200,
      send: (q, lines, body) =>
        request(agent, withQuery(body ? '/api/agents' : one, q), lines, body),
    },
    {
      name: 'agent-service, WebSocket',
      admitted: 101,
      send: (q, lines) => request(agent, withQuery(react, q), [...UPGRADE, ...lines]),
    },
  ];
}

/** `error.code` of a JSON refusal body. */
export function codeOf(response: RawResponse): string | undefined {
  try {
    return (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
