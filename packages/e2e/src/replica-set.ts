import { type PostgresServer, startPostgres } from '@agentauth/agent-service/testing';
import { type RunningNginx, startNginx } from '@agentauth/nginx';
import { type PortReservation, reservePort } from '@agentauth/service-runtime/process';
import { type RunningService, startService } from './service.js';
import { LIFTED_SOCKET_CAPS } from './stack.js';

/** Two (or more) agent-service replicas on one real PostgreSQL, behind one nginx upstream. */
export interface ReplicaSet {
  readonly postgres: PostgresServer;
  readonly databaseUrl: string;
  readonly gateway: RunningNginx;
  /** The replicas, by index; `restart`/`start` replace an entry. */
  readonly replicas: RunningService[];
  /** SIGTERM (the rolling-update drain), wait for the exit, start again on the same port. */
  restart(index: number): Promise<void>;
  /** kill -9: no drain, no clean-up; the lease must run out. */
  kill(index: number): Promise<void>;
  start(index: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ReplicaSetOptions {
  readonly replicas?: number;
  readonly leaseMs?: number;
  readonly graceMs?: number;
  readonly modelDelayMs?: number;
}

/**
 * Starts PostgreSQL (a throw-away cluster), the dev model server, the access-control-service, N
 * agent-service replicas on one database, and nginx with all replicas in its agent upstream.
 * @example const set = await startReplicaSet({ leaseMs: 2000 }); set.gateway.origin
 */
export async function startReplicaSet(options: ReplicaSetOptions = {}): Promise<ReplicaSet> {
  const postgres = await startPostgres();
  const started: { stop(): Promise<void> }[] = [];
  // One port per replica, held for the set's lifetime: a replica binds it, and binds it again
  // when it is restarted or started after a kill (nginx's upstream names these addresses).
  const ports: PortReservation[] = [];
  const release = () => {
    for (const p of ports) p.release();
  };
  try {
    const databaseUrl = await postgres.createDatabase('agents');
    const model = await startService('dev-model-server', {
      DEV_MODEL_DELAY_MS: String(options.modelDelayMs ?? 20),
    });
    started.push(model);
    const acs = await startService('access-control-service');
    started.push(acs);
    const env = (index: number) => ({
      LLM_BASE_URL: `${model.url}/v1`,
      AGENT_DATABASE_URL: databaseUrl,
      AGENT_RUN_LEASE_MS: String(options.leaseMs ?? 2000),
      AGENT_RUN_GRACE_MS: String(options.graceMs ?? 5000),
      AGENT_REPLICA_ID: `replica-${index}`,
      ...LIFTED_SOCKET_CAPS,
    });
    const replicas: RunningService[] = [];
    for (let i = 0; i < (options.replicas ?? 2); i++) {
      const port = reservePort();
      ports.push(port);
      replicas.push(await startService('agent-service', env(i), port.port));
    }
    const gateway = await startNginx({
      accessControlService: acs.address,
      agentService: replicas.map((r) => r.address).join(','),
    });
    const start = async (index: number) => {
      const port = ports[index];
      if (!port) throw new Error(`no replica ${index}`);
      replicas[index] = await startService('agent-service', env(index), port.port);
    };
    return {
      postgres,
      databaseUrl,
      gateway,
      replicas,
      start,
      async restart(index) {
        await replicas[index]?.child.stop(30_000);
        await start(index);
      },
      async kill(index) {
        const child = replicas[index]?.child;
        if (!child?.pid) return;
        process.kill(child.pid, 'SIGKILL');
        await child.exited;
      },
      async stop() {
        await gateway.stop();
        await Promise.all(replicas.map((r) => r.child.stop(5_000)));
        await Promise.all(started.map((s) => s.stop()));
        release();
        await postgres.stop();
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    release();
    await postgres.stop();
    throw error;
  }
}
