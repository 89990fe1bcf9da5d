import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePlaceholderSite } from '@agentauth/nginx';
import { SERVICES, type ServiceName } from '@agentauth/service-runtime';
import { outputBuffer, reservePort } from '@agentauth/service-runtime/process';
import {
  loadStackConfig,
  STACK_ENV,
  type StackIo,
  type Supervised,
  startStack,
  stopStack,
} from '@agentauth/stack';
import { send } from './http-client.js';
import { REPO_ROOT } from './repo-paths.js';
import { SECRET } from './tokens.js';

/** The process names of the product stack. */
export type StackProcess = ServiceName | 'nginx';

/** The whole product on loopback, started the way `pnpm start` starts it. */
export interface E2eStack {
  /** The gateway: what a browser talks to. */
  readonly origin: string;
  readonly gatewayPort: number;
  readonly acsUrl: string;
  readonly agentUrl: string;
  /** ws:// root of the agent-service itself (bypassing the gateway). */
  readonly agentWsUrl: string;
  /** The agent-service's Prometheus listener (`METRICS_PORT`). */
  readonly agentMetricsUrl: string;
  readonly modelUrl: string;
  /** Where the agent database lives (kept across an agent-service restart). */
  readonly dbPath: string;
  process(name: StackProcess): Supervised;
  /** What the processes printed (last lines). */
  output(): string;
  /** The gateway's nginx access and error logs, as written so far. */
  nginxLogs(): { access: string; error: string };
  /** SIGTERM the agent-service and wait for its exit (graceful shutdown). */
  stopAgentService(): Promise<void>;
  /** Start the agent-service again on the same port and database; resolves once healthy. */
  startAgentService(): Promise<void>;
  /** Every process is running and answers its health route (nginx: `/` through the gateway). */
  health(): Promise<Record<StackProcess, boolean>>;
  stop(): Promise<void>;
}

/**
 * agent-service env lifting the per-user WebSocket caps: the suites open hundreds of WebSockets
 * (and reconnect them through restarts) as a handful of users to check decisions and load; the
 * caps have their own tests (agent-service websocket-limits, e2e socket-abuse).
 */
export const LIFTED_SOCKET_CAPS = {
  WS_MAX_SOCKETS_PER_USER: '10000',
  WS_UPGRADES_PER_MINUTE: '1000000',
} as const;

export interface StackOptions {
  /** Pause before each streamed model token (dev model server), ms. Default 0. */
  readonly modelDelayMs?: number;
  /** Extra agent-service settings, e.g. `{ AGENT_ACCESS_POLICY: 'owner' }` (the other services ignore them). */
  readonly agentEnv?: Readonly<Record<string, string>>;
  /** AGENT_RUN_GRACE_MS of the agent-service (how long SIGTERM lets runs finish); default its own. */
  readonly runGraceMs?: number;
  /** LOG_LEVEL of the services. Default `warn`; `info` writes every request line. */
  readonly logLevel?: 'info' | 'warn';
  /** Extra environment for every process (e.g. the agent-service's `WS_*` limits). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts the dev model server, the access-control-service, the agent-service and nginx with
 * `@agentauth/stack` (the code behind `pnpm start`) on reserved loopback ports, a throw-away data
 * directory and the e2e secret.
 * @example const stack = await startE2eStack(); await send(`${stack.origin}/api/agents`)
 */
export async function startE2eStack(options: StackOptions = {}): Promise<E2eStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-e2e-'));
  // Held for the stack's lifetime: each process binds its port itself (and the agent-service
  // binds it again after a restart), and no other process can be handed one in between.
  const reserved = Array.from({ length: 5 }, () => reservePort());
  const release = () => {
    for (const r of reserved) r.release();
  };
  const [gatewayPort, acsPort, agentPort, modelPort, metricsPort] = reserved.map((r) => r.port) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const dbPath = join(dataDir, 'agents.db');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    ...(process.env.NGINX_BIN ? { NGINX_BIN: process.env.NGINX_BIN } : {}),
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: options.logLevel ?? 'warn',
    AGENT_DB_PATH: dbPath,
    METRICS_PORT: String(metricsPort),
    DEV_MODEL_DELAY_MS: String(options.modelDelayMs ?? 0),
    ...LIFTED_SOCKET_CAPS,
    ...options.agentEnv,
    ...(options.runGraceMs === undefined ? {} : { AGENT_RUN_GRACE_MS: String(options.runGraceMs) }),
    ...options.env,
  };
  const config = loadStackConfig(
    {
      [STACK_ENV.gatewayPort]: String(gatewayPort),
      [STACK_ENV.acsPort]: String(acsPort),
      [STACK_ENV.agentServicePort]: String(agentPort),
      [STACK_ENV.devModelPort]: String(modelPort),
      [STACK_ENV.dataDir]: dataDir,
      [STACK_ENV.webRoot]: writePlaceholderSite(join(dataDir, 'www')),
    },
    REPO_ROOT,
  );
  const out = outputBuffer();
  // No restarts here: a process the suite's attacks bring down must stay down, so health() sees it.
  const io: StackIo = { print: out.print, children: [], restarts: { maxRestarts: 0 } };
  try {
    await startStack(config, env, io);
  } catch (error) {
    await stopStack(io.children);
    release();
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${out.text()}`);
  }

  const loopback = (port: number) => `http://127.0.0.1:${port}`;
  const child = (name: StackProcess): Supervised => {
    const found = io.children.find((c) => c.name === name);
    if (!found) throw new Error(`The stack has no ${name} process.`);
    return found;
  };
  const healthUrl: Record<StackProcess, string> = {
    'access-control-service': `${loopback(acsPort)}${SERVICES['access-control-service'].healthPath}`,
    'agent-service': `${loopback(agentPort)}${SERVICES['agent-service'].healthPath}`,
    'dev-model-server': `${loopback(modelPort)}${SERVICES['dev-model-server'].healthPath}`,
    nginx: `${loopback(gatewayPort)}/`,
  };

  return {
    origin: loopback(gatewayPort),
    gatewayPort,
    acsUrl: loopback(acsPort),
    agentUrl: loopback(agentPort),
    agentWsUrl: `ws://127.0.0.1:${agentPort}`,
    agentMetricsUrl: `${loopback(metricsPort)}/metrics`,
    modelUrl: loopback(modelPort),
    dbPath,
    process: child,
    output: out.text,
    nginxLogs() {
      const read = (name: string) => {
        const path = join(dataDir, 'nginx', 'logs', name);
        return existsSync(path) ? readFileSync(path, 'utf8') : '';
      };
      return { access: read('access.log'), error: read('error.log') };
    },
    async stopAgentService() {
      await child('agent-service').stop(10_000);
    },
    async startAgentService() {
      const agent = child('agent-service');
      if (agent.isRunning()) throw new Error('The agent-service is still running.');
      await agent.start();
    },
    async health() {
      const entries = await Promise.all(
        (Object.keys(healthUrl) as StackProcess[]).map(async (name) => {
          const running = child(name).isRunning();
          const answered = await send(healthUrl[name], { timeoutMs: 5_000 }).then(
            (r) => r.status === 200,
            () => false,
          );
          return [name, running && answered] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<StackProcess, boolean>;
    },
    async stop() {
      await stopStack(io.children);
      release();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
