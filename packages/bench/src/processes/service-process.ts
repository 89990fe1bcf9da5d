import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@agentauth/stack';
import { waitForAnswer } from './wait-for-answer.js';

/** Memory of a service process after GC, as its probe reports it. */
export interface ProcessMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** A built service (`dist/main.js`) running in its own process on a loopback port. */
export interface ServiceProcess {
  readonly name: string;
  readonly port: number;
  readonly origin: string;
  readonly pid: number | undefined;
  /** Memory after two full GCs in the service process. */
  memory(): Promise<ProcessMemory>;
  /** SIGTERM (the services shut down gracefully, and write a CPU profile when asked), then SIGKILL. */
  stop(): Promise<void>;
  /** SIGTERM without waiting: for the bench's own exit path. */
  kill(): void;
}

export interface ServiceSpec {
  /** Package name, e.g. `@agentauth/access-control-service`; its `dist/main.js` is started. */
  readonly packageName: string;
  /** Short label for messages. */
  readonly name: string;
  /** Environment besides PORT/HOST (secrets, upstream URLs). Nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** Path answering 200 once the service is ready. */
  readonly healthPath: string;
  /** When set, the process runs with `--cpu-prof` and writes its profile here on exit. */
  readonly profileDir?: string | undefined;
}

const PROBE = new URL('./memory-probe.js', import.meta.url).href;

/**
 * The `dist/main.js` beside a package's main export: every service keeps its entry point there
 * (the runtime contracts in docs/contributing.md).
 * @example serviceMain('@agentauth/agent-service') // …/packages/agent-service/dist/main.js
 */
export function serviceMain(packageName: string): string {
  return join(dirname(fileURLToPath(import.meta.resolve(packageName))), 'main.js');
}

/**
 * Starts a service binary with a memory probe preloaded, on a free port, its log on stdout sent to
 * /dev/null (logging stays on at `info`, as in production, but no pipe makes the bench process
 * read it), and waits for its health check.
 * @example const acs = await startServiceProcess({ packageName: '@agentauth/access-control-service', … })
 */
export async function startServiceProcess(spec: ServiceSpec): Promise<ServiceProcess> {
  const port = await freePort();
  const execArgv = ['--expose-gc', '--import', PROBE];
  if (spec.profileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`);
  const child: ChildProcess = fork(serviceMain(spec.packageName), [], {
    execArgv,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...spec.env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = once(child, 'exit');
  const alive = () => child.exitCode === null && child.signalCode === null;
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForAnswer(`${origin}${spec.healthPath}`, alive);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${spec.name} did not start: ${(error as Error).message}\n${stderr}`);
  }

  return {
    name: spec.name,
    port,
    origin,
    pid: child.pid,
    memory: async () => {
      const answer = once(child, 'message') as Promise<[{ memory: ProcessMemory }]>;
      child.send('memory');
      const [message] = await answer;
      return message.memory;
    },
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    kill: () => {
      if (alive()) child.kill('SIGTERM');
    },
  };
}
