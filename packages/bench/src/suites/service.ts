import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { HttpRow } from '../result.js';
import { type HttpRowTarget, type HttpTableSettings, httpTable } from './http-table.js';

/**
 * The agent-service on its own: authenticated `GET /api/agents` (token verified by the service
 * itself, role check, ten agents read from SQLite) against its unauthenticated healthcheck.
 * @example const rows = await serviceSuite(stack, oneUser, manyUsers, settings)
 */
export function serviceSuite(
  stack: BenchStack,
  oneUser: readonly string[],
  manyUsers: readonly string[],
  settings: HttpTableSettings,
): Promise<HttpRow[]> {
  const origin = stack.agentService.origin;
  const agents = (token: string) => ({
    path: '/api/agents',
    headers: { authorization: `Bearer ${token}` },
  });
  const targets: HttpRowTarget[] = [
    {
      id: 'healthcheck',
      name: 'agent-service GET /api/healthcheck, no auth',
      origin,
      users: 1,
      tokens: rotation(oneUser),
      request: () => ({ path: '/api/healthcheck' }),
      baselines: [],
    },
    {
      id: 'agents',
      name: 'agent-service GET /api/agents, JWT, 1 user',
      origin,
      users: 1,
      tokens: rotation(oneUser),
      request: agents,
      baselines: ['healthcheck'],
    },
    {
      id: 'agents-many',
      name: `agent-service GET /api/agents, JWT, ${manyUsers.length} users`,
      origin,
      users: manyUsers.length,
      tokens: rotation(manyUsers),
      request: agents,
      baselines: ['healthcheck'],
    },
  ];
  return httpTable('service', targets, settings);
}
