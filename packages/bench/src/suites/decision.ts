import { randomBytes } from 'node:crypto';
import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { HttpRow } from '../result.js';
import { type HttpRowTarget, type HttpTableSettings, httpTable } from './http-table.js';

/** The client request every decision is about: the agent list, as the gateway suite reads it. */
export const DECIDED_PATH = '/api/agents';

/**
 * Authorize decisions per second for a valid token, in both gateway shapes, with one user (every
 * decision a token-cache hit) and with many users (a cache holding every token), against a bare
 * node:http hello and a bare express hello started the same way, in the same rounds.
 * @example const rows = await decisionSuite(stack, oneUser, manyUsers, settings)
 */
export function decisionSuite(
  stack: BenchStack,
  oneUser: readonly string[],
  manyUsers: readonly string[],
  settings: HttpTableSettings,
): Promise<HttpRow[]> {
  const hello = () => ({
    users: 1,
    tokens: rotation(oneUser),
    baselines: [],
    request: () => ({ path: '/' }),
  });
  const acs = stack.acs.origin;
  // Envoy ext_authz: /api/auth + the original path, the client's method and headers.
  const envoy = (token: string) => ({
    path: `/api/auth${DECIDED_PATH}`,
    headers: { authorization: `Bearer ${token}` },
  });
  // nginx auth_request: exactly what the gateway template sends.
  const nginx = (token: string) => ({
    path: '/api/auth',
    headers: {
      authorization: `Bearer ${token}`,
      'x-original-uri': DECIDED_PATH,
      'x-original-method': 'GET',
      'x-request-id': '0123456789abcdef0123456789abcdef',
    },
  });
  const baselines = ['express-hello', 'node-hello'];
  const forged = rotation(
    Array.from({ length: 10_000 }, (_, i) => {
      const t = manyUsers[i % manyUsers.length] as string;
      return `${t.slice(0, t.lastIndexOf('.'))}.${randomBytes(32).toString('base64url')}`;
    }),
  );
  const many = manyUsers.length;
  const targets: HttpRowTarget[] = [
    { ...hello(), id: 'node-hello', name: 'node:http hello', origin: stack.nodeHello.origin },
    { ...hello(), id: 'express-hello', name: 'express hello', origin: stack.expressHello.origin },
    {
      id: 'acs-envoy',
      name: 'authorize, Envoy shape, 1 user',
      origin: acs,
      users: 1,
      tokens: rotation(oneUser),
      request: envoy,
      baselines,
    },
    {
      id: 'acs-nginx',
      name: 'authorize, nginx shape, 1 user',
      origin: acs,
      users: 1,
      tokens: rotation(oneUser),
      request: nginx,
      baselines,
    },
    {
      id: 'acs-envoy-many',
      name: `authorize, Envoy shape, ${many} users`,
      origin: acs,
      users: many,
      tokens: rotation(manyUsers),
      request: envoy,
      baselines,
    },
    {
      id: 'acs-nginx-many',
      name: `authorize, nginx shape, ${many} users`,
      origin: acs,
      users: many,
      tokens: rotation(manyUsers),
      request: nginx,
      baselines,
    },
    {
      // Every request a fresh forgery (a real header and payload, a random signature): never
      // cached, so each one costs a verification, against the cached valid token of acs-envoy.
      id: 'acs-envoy-forged',
      name: `authorize, Envoy shape, forged tokens (${forged.size} distinct)`,
      origin: acs,
      users: forged.size,
      tokens: forged,
      request: envoy,
      baselines: ['acs-envoy', ...baselines],
      expectStatus: 401,
    },
  ];
  return httpTable('decision', targets, settings);
}
