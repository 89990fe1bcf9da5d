import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findNginx, renderNginxConf } from '@agentauth/nginx';
import { type Child, startChild } from './child.js';
import type { StackConfig } from './config.js';
import { stackSecret } from './secret-store.js';
import { signInLink } from './sign-in-link.js';
import { waitHealthy } from './wait-healthy.js';

/** The stack once everything answers. */
export interface RunningStack {
  /** The URL users open (the gateway). */
  readonly origin: string;
  /** `origin/#access_token=…` for the demo REGULAR user. */
  readonly link: string;
  readonly nginxPrefix: string;
  /** Resolves with a sentence when any process exits on its own. */
  readonly failed: Promise<string>;
}

export interface StackIo {
  /** Writes one line of output (prefixed child output included). */
  readonly print: (line: string) => void;
  /** Every process started, in start order, so a signal can stop them even mid-start. */
  readonly children: Child[];
}

const NAME_WIDTH = 'access-control-service'.length;

/**
 * A line of the stack's own output, aligned with the prefixed lines of its processes.
 * @example say('ready') // '[stack]                  ready'
 */
export function say(text: string): string {
  return `${'[stack]'.padEnd(NAME_WIDTH + 2)} ${text}`;
}
const loopback = (port: number) => `127.0.0.1:${port}`;

/**
 * Starts the dev model server (unless an LLM provider is configured), the access-control-service,
 * the agent-service and nginx in front of them, waits until each answers, and mints the demo
 * sign-in link. Throws NginxNotFoundError before starting anything when nginx is missing.
 * @example const stack = await startStack(loadStackConfig(process.env, root), process.env, io)
 */
export async function startStack(
  config: StackConfig,
  env: NodeJS.ProcessEnv,
  io: StackIo,
): Promise<RunningStack> {
  const nginx = findNginx(env);
  const { print, children } = io;
  const start = (name: string, main: string, childEnv: NodeJS.ProcessEnv) => {
    const child = startChild(
      { name, command: process.execPath, args: [main], env: childEnv },
      print,
      NAME_WIDTH,
    );
    children.push(child);
    return child;
  };
  const service = (name: string) => join(config.repoRoot, 'packages', name, 'dist', 'main.js');

  mkdirSync(config.dataDir, { recursive: true });
  const secret = await stackSecret(env, config.dataDir);
  if (secret.warning) print(say(secret.warning));
  print(
    say(
      secret.origin === 'environment'
        ? 'JWT secret: from AUTH_JWT_SECRET / AUTH_CONF_PATH'
        : `JWT secret: ${secret.origin} in ${secret.path} (mode 0600, git-ignored)`,
    ),
  );
  if (!existsSync(join(config.webRoot, 'index.html'))) {
    print(say(`The web app is not built at ${config.webRoot}; / answers 404 until it is.`));
  }
  const base = { ...env, ...secret.env, HOST: '127.0.0.1' };

  if (config.devModelPort !== undefined) {
    const model = start('dev-model-server', service('dev-model-server'), {
      ...base,
      PORT: String(config.devModelPort),
    });
    await waitHealthy(`http://${loopback(config.devModelPort)}/health`, model);
  } else {
    print(say(`LLM provider: ${config.llmBaseUrl} (the dev model server is not started)`));
  }

  const acs = start('access-control-service', service('access-control-service'), {
    ...base,
    PORT: String(config.acsPort),
  });
  const agent = start('agent-service', service('agent-service'), {
    ...base,
    PORT: String(config.agentServicePort),
    LLM_BASE_URL: config.llmBaseUrl,
    AGENT_DB_PATH: env.AGENT_DB_PATH || join(config.dataDir, 'agents.db'),
  });
  await Promise.all([
    waitHealthy(`http://${loopback(config.acsPort)}/api/healthcheck`, acs),
    waitHealthy(`http://${loopback(config.agentServicePort)}/api/healthcheck`, agent),
  ]);

  const prefix = join(config.dataDir, 'nginx');
  for (const dir of ['logs', 'run']) mkdirSync(join(prefix, dir), { recursive: true });
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(
    confPath,
    renderNginxConf({
      listen: `${config.gatewayHost}:${config.gatewayPort}`,
      accessControlService: loopback(config.acsPort),
      agentService: loopback(config.agentServicePort),
      staticRoot: config.webRoot,
      logDir: 'logs',
      runDir: 'run',
      authCache: config.authCache,
      workerProcesses: 2,
      // A root master would run workers as nobody, who may not read the checkout.
      user: process.getuid?.() === 0 ? 'root' : undefined,
    }),
  );
  const args = ['-p', prefix, '-c', confPath];
  const check = spawnSync(nginx, ['-t', '-q', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx refused the rendered config:\n${check.stderr}`);
  const gateway = startChild(
    { name: 'nginx', command: nginx, args: [...args, '-g', 'daemon off;'], env },
    print,
    NAME_WIDTH,
  );
  children.push(gateway);
  const host = ['0.0.0.0', '::', '[::]'].includes(config.gatewayHost)
    ? '127.0.0.1'
    : config.gatewayHost;
  const origin = `http://${host}:${config.gatewayPort}`;
  // Ready means the whole chain answers: nginx → auth_request → access-control-service → 401.
  await waitHealthy(`${origin}/api/agents`, gateway, { status: 401 });

  const failed = Promise.race(
    children.map((c) => c.exited.then((code) => `${c.name} exited (${code})`)),
  );
  return { origin, link: await signInLink(origin, secret.key), nginxPrefix: prefix, failed };
}

/**
 * Stops every process: the gateway first (no new requests), then the services together.
 * @example await stopStack(io.children)
 */
export async function stopStack(children: readonly Child[]): Promise<void> {
  const gateway = children.filter((c) => c.name === 'nginx');
  await Promise.all(gateway.map((c) => c.stop()));
  await Promise.all(children.filter((c) => c.name !== 'nginx').map((c) => c.stop()));
}
