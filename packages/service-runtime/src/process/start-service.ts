import { SERVICES, type ServiceName, serviceEntry } from '../services.js';
import { type Child, startChild } from './child.js';
import { listeningPorts } from './listening-ports.js';
import { outputBuffer } from './output-buffer.js';
import { answers, waitHealthy, waitUntil } from './wait-healthy.js';

export interface ServiceLaunch {
  /**
   * Variables besides `HOST=127.0.0.1` and `PORT`; `PATH` and `LOG_LEVEL=warn` unless given here.
   * Nothing else is inherited.
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Default: `PORT=0`, and the port the service bound is read back from its open sockets — never
   * a port probed free and released, which another process could take before the service binds.
   */
  readonly port?: number;
  /** Node options before the entry point (`--cpu-prof`, `--import`, …). */
  readonly nodeArgs?: readonly string[];
  /** Open an IPC channel to the service (a preloaded probe answering `process.send`). */
  readonly ipc?: boolean;
  /** Discard stdout (logging under load stays on, but nobody reads it). */
  readonly discardStdout?: boolean;
  /** Receives the prefixed output lines; default kept (last 2,000) for `output()`. */
  readonly print?: (line: string) => void;
  /** Width the `[name]` prefix is padded to. */
  readonly printWidth?: number;
  readonly timeoutMs?: number;
}

/** A service running from its built entry point on loopback. */
export interface RunningService {
  readonly name: ServiceName;
  readonly port: number;
  /** `127.0.0.1:<port>`, as nginx upstreams want it. */
  readonly address: string;
  readonly url: string;
  readonly child: Child;
  /** What it printed (when no `print` was given). */
  output(): string;
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts a service of the manifest (`node packages/<name>/dist/main.js`) and resolves once its
 * health path answers; a failed start throws with what the service printed.
 * @example const acs = await startService('access-control-service', { env: { AUTH_JWT_SECRET } })
 */
export async function startService(
  name: ServiceName,
  launch: ServiceLaunch = {},
): Promise<RunningService> {
  const out = outputBuffer();
  const child = startChild(
    {
      name,
      command: process.execPath,
      args: [...(launch.nodeArgs ?? []), serviceEntry(name)],
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        ...launch.env,
        HOST: '127.0.0.1',
        PORT: String(launch.port ?? 0),
      },
      ...(launch.ipc ? { ipc: true } : {}),
      ...(launch.discardStdout ? { discardStdout: true } : {}),
    },
    launch.print ?? out.print,
    launch.printWidth,
  );
  const timeoutMs = launch.timeoutMs ?? 20_000;
  let port = launch.port ?? 0;
  try {
    // A port found on PORT=0 is one whose health path has answered already.
    if (port === 0) port = await boundPort(child, SERVICES[name].healthPath, timeoutMs);
    else
      await waitHealthy(`http://127.0.0.1:${port}${SERVICES[name].healthPath}`, child, {
        timeoutMs,
      });
  } catch (error) {
    await child.stop(2_000);
    throw new Error(`${(error as Error).message}\n${out.text()}`);
  }
  return {
    name,
    port,
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    child,
    output: out.text,
    stop: (graceMs = 5_000) => child.stop(graceMs),
  };
}

/**
 * The port a child started on `PORT=0` bound: among the ports it listens on (a service may open
 * a second listener, e.g. for metrics), the one whose health path answers. Fails when the child
 * exits or `timeoutMs` passes.
 */
async function boundPort(child: Child, healthPath: string, timeoutMs: number): Promise<number> {
  let found = 0;
  const healthyPort = async () => {
    for (const port of listeningPorts(child.pid ?? -1)) {
      if (await answers(`http://127.0.0.1:${port}${healthPath}`)) {
        found = port;
        return true;
      }
    }
    return false;
  };
  await waitUntil(child, 'listen', healthyPort, { timeoutMs });
  return found;
}
