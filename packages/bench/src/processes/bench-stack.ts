import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, PROMPT_MAX_LENGTH, SNAPSHOT_MAX_STEPS } from '@agentauth/agent-api';
import { openSqliteStore } from '@agentauth/agent-service';
import { childPids } from '@agentauth/service-runtime/process';
import type { BenchSecret } from '../tokens.js';
import { knownPids, type MeteredGroup } from './cpu-meter.js';
import { type GatewayProcess, startGateway } from './gateway-process.js';
import { type HelloProcess, startHello } from './hello-process.js';
import { LIFTED_SOCKET_CAPS } from './lifted-caps.js';
import { type ServiceProcess, startServiceProcess } from './service-process.js';

/** Everything the HTTP and WebSocket suites load, each in its own process. */
export interface BenchStack {
  readonly acs: ServiceProcess;
  readonly agentService: ServiceProcess;
  readonly nodeHello: HelloProcess;
  readonly expressHello: HelloProcess;
  readonly wsHello: HelloProcess;
  /** nginx with the decision cache off (the default) and on; both with the control route. */
  readonly gateway: GatewayProcess;
  readonly cachedGateway: GatewayProcess;
  /** An agent id the WebSocket suite connects to. */
  readonly agentId: string;
  /** An agent whose history is full (500 steps of 16,000 characters), for the abuse suite. */
  readonly fullHistoryAgentId: string;
  /**
   * Another agent-service on the same database with the product's default per-user socket caps
   * (the main one lifts them for the handshake rows); the caller stops it.
   */
  startCappedAgentService(): Promise<ServiceProcess>;
  /** The dev model server's API root (`…/v1`), for other agent-services the bench starts. */
  readonly llmBaseUrl: string;
  /** Process groups whose CPU time per request is reported: nginx, acs, agent, hello. */
  readonly meterGroups: readonly MeteredGroup[];
  stop(): Promise<void>;
  /**
   * Signals every process without waiting, for an exit the bench did not plan (an uncaught error):
   * nginx has no IPC channel to notice its parent is gone, and would keep running.
   */
  kill(): void;
}

export interface BenchStackOptions {
  readonly secret: BenchSecret;
  /** A token to create the agents the routes list. */
  readonly token: string;
  /** Write CPU profiles of the two services here (`--profile`). */
  readonly profileDir?: string | undefined;
}

/** Agents every agent-service under test holds (the rows list them). */
const BENCH_AGENT_COUNT = 10;

/**
 * Starts the dev model server, the access-control-service and the agent-service from their built
 * binaries with the run's secret and their default settings (token cache 10,000, logging at
 * info), the three baseline servers, and two nginx gateways in front of the services; creates
 * ten agents. Stops whatever started if a later step fails.
 * @example const stack = await startBenchStack({ secret, token }); await stack.stop()
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-bench-'));
  const started: { stop(): Promise<void>; kill(): void }[] = [];
  const track = <T extends { stop(): Promise<void>; kill(): void }>(p: T): T => {
    started.push(p);
    return p;
  };
  const stopAll = async () => {
    // Gateways first, so nothing proxies into a stopping service.
    for (const p of [...started].reverse()) await p.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const secretEnv = { AUTH_JWT_SECRET: options.secret.value };
    const dbPath = join(dataDir, 'agents.db');
    const fullHistoryAgentId = await writeFullHistoryAgent(dbPath);
    const model = track(await startServiceProcess({ name: 'dev-model-server', env: {} }));
    const agentEnv = {
      ...secretEnv,
      LLM_BASE_URL: `${model.origin}/v1`,
      AGENT_DB_PATH: dbPath,
    };
    const [acs, agentService] = await Promise.all([
      startServiceProcess({
        name: 'access-control-service',
        env: secretEnv,
        profileDir: options.profileDir,
      }).then(track),
      startServiceProcess({
        name: 'agent-service',
        env: {
          ...agentEnv,
          ...LIFTED_SOCKET_CAPS,
        },
        profileDir: options.profileDir,
      }).then(track),
    ]);
    const nodeHello = track(await startHello('node-http'));
    const expressHello = track(await startHello('express'));
    const wsHello = track(await startHello('ws'));
    const upstreams = {
      accessControlService: `127.0.0.1:${acs.port}`,
      agentService: `127.0.0.1:${agentService.port}`,
    };
    const gateway = track(await startGateway({ ...upstreams, authCache: false }));
    const cachedGateway = track(await startGateway({ ...upstreams, authCache: true }));
    const agentId = await createAgents(agentService.origin, options.token);
    return {
      acs,
      agentService,
      nodeHello,
      expressHello,
      wsHello,
      gateway,
      cachedGateway,
      agentId,
      fullHistoryAgentId,
      startCappedAgentService: () =>
        startServiceProcess({ name: 'agent-service', env: agentEnv }).then(track),
      llmBaseUrl: `${model.origin}/v1`,
      meterGroups: meterGroups([gateway, cachedGateway], acs, agentService, [
        nodeHello,
        expressHello,
        wsHello,
      ]),
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

/**
 * Writes an agent with the longest history a user can build (500 steps of 16,000 characters,
 * ~8 MB) straight into the database before the agent-service opens it: building it through
 * prompts takes about a minute.
 */
async function writeFullHistoryAgent(dbPath: string): Promise<string> {
  const { store } = openSqliteStore(dbPath);
  try {
    const agent = await store.createAgent({
      name: 'bench full history',
      modelType: 'dev-model',
      ownerUid: 1,
      settings: DEFAULT_SETTINGS,
    });
    const at = new Date().toISOString();
    await store.appendSteps(
      agent.id,
      Array.from({ length: SNAPSHOT_MAX_STEPS }, (_, seq) => ({
        runId: 'bench-history',
        seq,
        at,
        kind: 'final_answer' as const,
        text: 'x'.repeat(PROMPT_MAX_LENGTH),
      })),
    );
    return agent.id;
  } finally {
    await store.close();
  }
}

/**
 * Creates the bench's agents (`BENCH_AGENT_COUNT`) on an agent-service and returns the first id.
 * @example const agentId = await createAgents(agentService.origin, token)
 */
export async function createAgents(origin: string, token: string): Promise<string> {
  let first = '';
  for (let i = 0; i < BENCH_AGENT_COUNT; i++) {
    const res = await fetch(`${origin}/api/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench agent ${i}`, modelType: 'dev-model' }),
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || typeof body.id !== 'string') {
      throw new Error(`creating a bench agent answered ${res.status}`);
    }
    first ||= body.id;
  }
  return first;
}

function meterGroups(
  gateways: readonly { pid: number | undefined }[],
  acs: ServiceProcess,
  agentService: ServiceProcess,
  hellos: readonly HelloProcess[],
): MeteredGroup[] {
  return [
    { name: 'nginx', pids: () => knownPids(gateways.map((g) => g.pid)).flatMap(childPids) },
    { name: 'acs', pids: () => knownPids([acs.pid]) },
    { name: 'agent', pids: () => knownPids([agentService.pid]) },
    { name: 'hello', pids: () => knownPids(hellos.map((h) => h.pid)) },
  ];
}
