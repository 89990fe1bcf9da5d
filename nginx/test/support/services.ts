import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_SECRET_MIXED_CASE } from '@agentauth/auth-core/testing';
import { freePort } from './ports.js';

const PACKAGES = fileURLToPath(new URL('../../../packages/', import.meta.url));

type ServiceName = 'access-control-service' | 'agent-service' | 'dev-model-server';

const HEALTH: Record<ServiceName, string> = {
  'access-control-service': '/api/healthcheck',
  'agent-service': '/api/healthcheck',
  'dev-model-server': '/health',
};

/** A service running as a real process from its built `dist/main.js`. */
export interface RunningService {
  readonly name: ServiceName;
  readonly port: number;
  readonly address: string;
  readonly process: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node packages/<name>/dist/main.js` on a free loopback port with the test secret and
 * waits until its health check answers 200.
 * @example const acs = await startService('access-control-service')
 */
export async function startService(
  name: ServiceName,
  env: Readonly<Record<string, string>> = {},
): Promise<RunningService> {
  const main = join(PACKAGES, name, 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(
      `${main} is missing: build first (pnpm turbo run build --filter=@agentauth/nginx...).`,
    );
  }
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      AUTH_JWT_SECRET: TEST_SECRET_MIXED_CASE,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start:\n${output}`);
    const healthy = await fetch(`http://127.0.0.1:${port}${HEALTH[name]}`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    name,
    port,
    address: `127.0.0.1:${port}`,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The access-control-service, the agent-service and the dev model server, on loopback. */
export interface Services {
  readonly acs: RunningService;
  readonly agent: RunningService;
  readonly model: RunningService;
  stop(): Promise<void>;
}

/**
 * Starts the three services the gateway fronts, with a throw-away agent database.
 * @example const services = await startServices(); await services.stop()
 */
export async function startServices(): Promise<Services> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-agents-'));
  const model = await startService('dev-model-server');
  const [acs, agent] = await Promise.all([
    startService('access-control-service'),
    startService('agent-service', {
      LLM_BASE_URL: `http://${model.address}/v1`,
      AGENT_DB_PATH: join(dataDir, 'agents.db'),
    }),
  ]);
  return {
    acs,
    agent,
    model,
    stop: async () => {
      await Promise.all([acs.stop(), agent.stop(), model.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
