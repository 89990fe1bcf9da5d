import { measureEventLatency } from '../load/event-latency.js';
import { rotation } from '../load/token-rotation.js';
import type { BenchStack } from '../processes/bench-stack.js';
import type { ReplicaStack } from '../processes/replica-stack.js';
import type { EventLatency, HandshakeRow, HttpRow } from '../result.js';
import { type HttpRowTarget, type HttpTableSettings, httpTable } from './http-table.js';
import { agentSocketUrl, handshakeTable } from './websocket.js';

export interface ReplicaSuiteSettings extends HttpTableSettings {
  /** Runs of the cross-replica latency probe. */
  readonly latencyRuns: number;
}

export interface ReplicaSuiteResult {
  readonly http: HttpRow[];
  readonly handshakes: HandshakeRow[];
  readonly eventLatency: EventLatency;
}

/**
 * The agent-service on PostgreSQL against itself on SQLite, in the same run: `GET /api/agents`
 * (ten agents) and WebSocket handshakes (JWT + snapshot) on one replica of each; two replicas
 * behind one nginx against one; and the latency of an event from the replica running a run to a
 * socket on the other replica. The meter must cover both stacks' processes.
 * @example const result = await replicaSuite(stack, replicas, oneUser, settings)
 */
export async function replicaSuite(
  stack: BenchStack,
  replicas: ReplicaStack,
  oneUser: readonly string[],
  settings: ReplicaSuiteSettings,
): Promise<ReplicaSuiteResult> {
  const [first, second] = replicas.replicas;
  const agents = (token: string) => ({
    path: '/api/agents',
    headers: { authorization: `Bearer ${token}` },
  });
  const target = (
    id: string,
    name: string,
    origin: string,
    baselines: string[],
  ): HttpRowTarget => ({
    id,
    name,
    origin,
    users: 1,
    tokens: rotation(oneUser),
    request: agents,
    baselines,
  });
  const http = await httpTable(
    'replicas',
    [
      target('sqlite', 'agent-service GET /api/agents, SQLite', stack.agentService.origin, []),
      target('postgres', 'agent-service GET /api/agents, PostgreSQL', first.origin, ['sqlite']),
      target(
        'gateway-one-replica',
        'nginx → 1 PostgreSQL replica, GET /api/agents',
        replicas.oneReplicaGateway.origin,
        [],
      ),
      target(
        'gateway-two-replicas',
        'nginx → 2 PostgreSQL replicas, GET /api/agents',
        replicas.twoReplicaGateway.origin,
        ['gateway-one-replica'],
      ),
    ],
    settings,
  );
  const handshakes = await replicaHandshakes(stack, replicas, oneUser, settings);
  settings.log(`replicas: cross-replica event latency over ${settings.latencyRuns} runs`);
  const token = oneUser[0] as string;
  const eventLatency = await measureEventLatency(
    agentSocketUrl(first.origin, replicas.agentId)(token),
    agentSocketUrl(second.origin, replicas.agentId)(token),
    settings.latencyRuns,
  );
  return { http, handshakes, eventLatency };
}

function replicaHandshakes(
  stack: BenchStack,
  replicas: ReplicaStack,
  oneUser: readonly string[],
  settings: HttpTableSettings,
): Promise<HandshakeRow[]> {
  return handshakeTable(
    'replicas',
    [
      {
        id: 'agent-ws-sqlite',
        name: 'agent-service WebSocket, JWT + snapshot, SQLite',
        users: 1,
        tokens: rotation(oneUser),
        url: agentSocketUrl(stack.agentService.origin, stack.agentId),
        baselines: [],
      },
      {
        id: 'agent-ws-postgres',
        name: 'agent-service WebSocket, JWT + snapshot, PostgreSQL',
        users: 1,
        tokens: rotation(oneUser),
        url: agentSocketUrl(replicas.replicas[0].origin, replicas.agentId),
        baselines: ['agent-ws-sqlite'],
      },
    ],
    settings,
  );
}
