import { startPostgres } from '@agentauth/agent-service/testing';
import { childPids } from '@agentauth/service-runtime/process';
import type { BenchSecret } from '../tokens.js';
import { createAgents } from './bench-stack.js';
import { knownPids, type MeteredGroup } from './cpu-meter.js';
import { type GatewayProcess, startGateway } from './gateway-process.js';
import { LIFTED_SOCKET_CAPS } from './lifted-caps.js';
import { type ServiceProcess, startServiceProcess } from './service-process.js';

/** The agent-service in PostgreSQL mode: two replicas on one database, behind one or both. */
export interface ReplicaStack {
  /** Two agent-service processes on the same database. */
  readonly replicas: readonly [ServiceProcess, ServiceProcess];
  /** nginx with only the first replica in its agent upstream, and nginx with both. */
  readonly oneReplicaGateway: GatewayProcess;
  readonly twoReplicaGateway: GatewayProcess;
  /** An agent the WebSocket rows and the latency probe connect to. */
  readonly agentId: string;
  /** `agent-pg` (both replicas), `postgres` (postmaster and backends), `nginx` (these gateways). */
  readonly meterGroups: readonly MeteredGroup[];
  stop(): Promise<void>;
  kill(): void;
}

export interface ReplicaStackOptions {
  readonly secret: BenchSecret;
  readonly token: string;
  /** `host:port` of the access-control-service the gateways ask. */
  readonly accessControlService: string;
  /** The LLM endpoint root (the dev model server's `…/v1`). */
  readonly llmBaseUrl: string;
}

/**
 * Starts a throw-away PostgreSQL cluster, two agent-service replicas on one database (default
 * settings, pool of 10), and two nginx gateways: one with the first replica upstream, one with
 * both. Creates as many agents as the SQLite stack (so both list the same number). Stops whatever
 * started when a later step fails.
 * @example const replicas = await startReplicaStack({ secret, token, accessControlService, llmBaseUrl })
 */
export async function startReplicaStack(options: ReplicaStackOptions): Promise<ReplicaStack> {
  const postgres = await startPostgres();
  const started: { stop(): Promise<void>; kill(): void }[] = [];
  const stopAll = async () => {
    for (const p of [...started].reverse()) await p.stop().catch(() => {});
    await postgres.stop();
  };
  try {
    const databaseUrl = await postgres.createDatabase('bench');
    const replica = (index: number) =>
      startServiceProcess({
        name: 'agent-service',
        env: {
          AUTH_JWT_SECRET: options.secret.value,
          LLM_BASE_URL: options.llmBaseUrl,
          AGENT_DATABASE_URL: databaseUrl,
          AGENT_REPLICA_ID: `bench-${index}`,
          // The replica handshake rows load one user like the single-service rows do.
          ...LIFTED_SOCKET_CAPS,
        },
      }).then((p) => {
        started.push(p);
        return p;
      });
    // One after the other: the first applies the migrations, the second finds them done.
    const first = await replica(0);
    const second = await replica(1);
    const gateway = (agentService: string) =>
      startGateway({
        accessControlService: options.accessControlService,
        agentService,
        authCache: false,
      }).then((g) => {
        started.push(g);
        return g;
      });
    const address = (p: ServiceProcess) => `127.0.0.1:${p.port}`;
    const oneReplicaGateway = await gateway(address(first));
    const twoReplicaGateway = await gateway(`${address(first)},${address(second)}`);
    const agentId = await createAgents(first.origin, options.token);
    return {
      replicas: [first, second],
      oneReplicaGateway,
      twoReplicaGateway,
      agentId,
      meterGroups: [
        {
          name: 'nginx',
          pids: () =>
            knownPids([oneReplicaGateway.pid, twoReplicaGateway.pid]).flatMap((pid) =>
              childPids(pid),
            ),
        },
        { name: 'agent-pg', pids: () => knownPids([first.pid, second.pid]) },
        {
          name: 'postgres',
          pids: () => {
            const pid = postgres.pid;
            return pid === undefined ? [] : [pid, ...childPids(pid)];
          },
        },
      ],
      stop: stopAll,
      kill: () => {
        for (const p of started) p.kill();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
