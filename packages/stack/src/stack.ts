import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findNginx, startNginx } from '@agentauth/nginx';
import type { ServiceName } from '@agentauth/service-runtime';
import { startService, waitHealthy } from '@agentauth/service-runtime/process';
import type { StackConfig } from './config.js';
import { stackSecret } from './secret-store.js';
import { signInLink } from './sign-in-link.js';
import { type Supervised, type SuperviseOptions, supervise } from './supervise.js';

/** The stack once everything answers. */
export interface RunningStack {
  /** The URL users open (the gateway). */
  readonly origin: string;
  /** `origin/#access_token=…` for the demo REGULAR user. */
  readonly link: string;
  readonly nginxPrefix: string;
  /** Resolves with a sentence when a process keeps dying (restarts did not help). */
  readonly failed: Promise<string>;
}

export interface StackIo {
  /** Writes one line of output (prefixed process output included). */
  readonly print: (line: string) => void;
  /** Every process started, in start order, so a signal can stop them even mid-start. */
  readonly children: Supervised[];
  /** Restart policy (tests shorten it); default `supervise`'s. */
  readonly restarts?: Omit<SuperviseOptions, 'report'>;
}

/** A process of the stack did not start (it exited, or never answered), in one sentence. */
export class StackStartError extends Error {
  override readonly name = 'StackStartError';
}

const NAME_WIDTH = 'access-control-service'.length;

/**
 * A line of the stack's own output, aligned with the prefixed lines of its processes.
 * @example say('ready') // '[stack]                  ready'
 */
export function say(text: string): string {
  return `${'[stack]'.padEnd(NAME_WIDTH + 2)} ${text}`;
}

/**
 * Starts the dev model server (unless an LLM provider is configured), the access-control-service,
 * the agent-service and nginx in front of them, each supervised (restarted with backoff when it
 * dies), waits until each answers, and mints the demo sign-in link. Throws NginxNotFoundError
 * before starting anything when nginx is missing.
 * @example const stack = await startStack(loadStackConfig(process.env, root), process.env, io)
 */
export async function startStack(
  config: StackConfig,
  env: NodeJS.ProcessEnv,
  io: StackIo,
): Promise<RunningStack> {
  findNginx(env);
  const { print, children } = io;
  const start = async (name: string, launch: Parameters<typeof supervise>[1]) => {
    const process = supervise(name, launch, { ...io.restarts, report: (t) => print(say(t)) });
    children.push(process);
    await process.start().catch((error: unknown) => {
      // The process's own output (already printed) says why; the first line says what.
      throw new StackStartError(String((error as Error).message).split('\n')[0]);
    });
    return process;
  };

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
  const base = Object.fromEntries(
    Object.entries({ LOG_LEVEL: 'info', ...env, ...secret.env }).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const service = (name: ServiceName, port: number, extra: Record<string, string> = {}) =>
    start(name, () =>
      startService(name, {
        port,
        env: { ...base, ...extra },
        print,
        printWidth: NAME_WIDTH,
        timeoutMs: 30_000,
      }).then((s) => s.child),
    );

  if (config.devModelPort !== undefined) {
    await service('dev-model-server', config.devModelPort);
  } else {
    print(say(`LLM provider: ${config.llmBaseUrl} (the dev model server is not started)`));
  }
  await Promise.all([
    service('access-control-service', config.acsPort),
    service('agent-service', config.agentServicePort, {
      LLM_BASE_URL: config.llmBaseUrl,
      AGENT_DB_PATH: env.AGENT_DB_PATH || join(config.dataDir, 'agents.db'),
    }),
  ]);

  const prefix = join(config.dataDir, 'nginx');
  let origin = '';
  await start('nginx', async () => {
    const gateway = await startNginx({
      prefix,
      listen: `${config.gatewayHost}:${config.gatewayPort}`,
      accessControlService: `127.0.0.1:${config.acsPort}`,
      agentService: `127.0.0.1:${config.agentServicePort}`,
      staticRoot: config.webRoot,
      authCache: config.authCache,
      workerProcesses: 2,
      env,
      print,
      printWidth: NAME_WIDTH,
    });
    origin = gateway.origin;
    // Ready means the whole chain answers: nginx → auth_request → access-control-service → 401.
    await waitHealthy(`${origin}/api/agents`, gateway.child, { status: 401 });
    return gateway.child;
  });

  const failed = Promise.race(children.map((c) => c.gaveUp));
  return { origin, link: await signInLink(origin, secret.key), nginxPrefix: prefix, failed };
}

/**
 * Stops every process for good: the gateway first (no new requests), then the services together.
 * @example await stopStack(io.children)
 */
export async function stopStack(children: readonly Supervised[]): Promise<void> {
  // First no restarts at all: a service that a terminal's Ctrl-C already ended stays ended.
  for (const child of children) child.hold();
  const gateway = children.filter((c) => c.name === 'nginx');
  await Promise.all(gateway.map((c) => c.stop()));
  await Promise.all(children.filter((c) => c.name !== 'nginx').map((c) => c.stop()));
}
