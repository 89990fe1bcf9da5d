import { once } from 'node:events';
import type { ServiceName } from '@agentauth/service-runtime';
import { startService } from '@agentauth/service-runtime/process';

/** Memory of a service process after GC, as its probe reports it. */
export interface ProcessMemory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** A built service (`dist/main.js`) running in its own process on a loopback port. */
export interface ServiceProcess {
  readonly name: ServiceName;
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
  readonly name: ServiceName;
  /** Environment besides PORT/HOST (secrets, upstream URLs). Nothing else is inherited. */
  readonly env: Readonly<Record<string, string>>;
  /** When set, the process runs with `--cpu-prof` and writes its profile here on exit. */
  readonly profileDir?: string | undefined;
}

const PROBE = new URL('./memory-probe.js', import.meta.url).href;

/**
 * Starts a service of the runtime's manifest with a memory probe preloaded, on a free port, its
 * log on stdout discarded (logging stays on at `info`, as in production, but no pipe makes the
 * bench process read it), once its health path answers.
 * @example const acs = await startServiceProcess({ name: 'access-control-service', env })
 */
export async function startServiceProcess(spec: ServiceSpec): Promise<ServiceProcess> {
  const nodeArgs = ['--expose-gc', '--import', PROBE];
  if (spec.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${spec.profileDir}`);
  const service = await startService(spec.name, {
    env: { LOG_LEVEL: 'info', ...spec.env },
    nodeArgs,
    ipc: true,
    discardStdout: true,
  });
  const child = service.child.process;
  return {
    name: spec.name,
    port: service.port,
    origin: service.url,
    pid: service.child.pid,
    memory: async () => {
      const answer = once(child, 'message') as Promise<[{ memory: ProcessMemory }]>;
      child.send('memory');
      const [message] = await answer;
      return message.memory;
    },
    stop: () => service.stop(10_000),
    kill: () => service.child.kill(),
  };
}
