import { GATEWAY_DEFAULTS } from '@agentauth/nginx';
import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { HttpRow } from '../result.js';
import { type HttpRowTarget, type HttpTableSettings, httpTable } from './http-table.js';

/**
 * An authenticated `GET /api/agents` through nginx: with `auth_request` (decision cache off, the
 * default, and on) against the same route on the benchmark-only control server without
 * `auth_request`. Every request carries the token, so the agent-service verifies it in all three.
 * @example const rows = await gatewaySuite(stack, oneUser, manyUsers, settings)
 */
export function gatewaySuite(
  stack: BenchStack,
  oneUser: readonly string[],
  manyUsers: readonly string[],
  settings: HttpTableSettings,
): Promise<HttpRow[]> {
  const request = (token: string) => ({
    path: '/api/agents',
    headers: { authorization: `Bearer ${token}` },
  });
  const variants = [
    { suffix: '', users: 1, tokens: oneUser, label: '1 user' },
    {
      suffix: '-many',
      users: manyUsers.length,
      tokens: manyUsers,
      label: `${manyUsers.length} users`,
    },
  ];
  const targets: HttpRowTarget[] = variants.flatMap((v) => [
    {
      id: `control${v.suffix}`,
      name: `nginx control route, no auth_request, ${v.label}`,
      origin: stack.gateway.controlOrigin,
      users: v.users,
      tokens: rotation(v.tokens),
      request,
      baselines: [],
    },
    {
      id: `auth${v.suffix}`,
      name: `nginx auth_request, cache off, ${v.label}`,
      origin: stack.gateway.origin,
      users: v.users,
      tokens: rotation(v.tokens),
      request,
      baselines: [`control${v.suffix}`],
    },
    {
      id: `auth-cached${v.suffix}`,
      name: `nginx auth_request, cache on, ${v.label}`,
      origin: stack.cachedGateway.origin,
      users: v.users,
      tokens: rotation(v.tokens),
      request,
      baselines: [`control${v.suffix}`],
      // nginx keeps an allow for authCacheSeconds from when it was stored. With many users its
      // hit ratio depends on uninterrupted traffic: interleaved rounds would leave gaps in which
      // entries expire, so this row is measured in its own steady state instead.
      ...(v.users > 1 ? { steadyStateSeconds: GATEWAY_DEFAULTS.authCacheSeconds + 1 } : {}),
    },
  ]);
  return httpTable('gateway', targets, settings);
}
