import { spawnSync } from 'node:child_process';
import { waitHealthy } from '@agentauth/service-runtime/process';
import { podman, podmanRuntimeArgs } from './podman.js';

/** The ulimits this machine's podman needs set explicitly (its defaults fail on setrlimit). */
export const RUN_ULIMITS = ['--ulimit=nofile=10000:10000', '--ulimit=nproc=4096:4096'] as const;

/** How to run an image the way the chart runs it. */
export interface HardenedRun {
  readonly image: string;
  /** `uid:gid`, the chart's runAsUser/runAsGroup (never 0). */
  readonly user: string;
  /** The chart's memory limit, e.g. `256m`. */
  readonly memory: string;
  /** Environment; values reach podman through its own environment, never its argument list. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bind mounts (`source` on the host → `target`), the chart's volumes. */
  readonly mounts?: readonly { readonly source: string; readonly target: string }[];
  /** Size of the tmpfs at /tmp (the chart's emptyDir sizeLimit). */
  readonly tmpfsSize?: string;
  readonly name?: string;
  /**
   * Publish the container's port on 127.0.0.1 (`-p 127.0.0.1:host:container`) instead of sharing
   * the host's network (for an image whose port is fixed in its config, like web's 8080).
   */
  readonly publish?: { readonly hostPort: number; readonly containerPort: number };
}

/**
 * The `podman run` arguments for a container with the chart's pod and container security
 * context: the given non-root uid, read-only root filesystem with only a tmpfs /tmp, every
 * capability dropped, no privilege escalation, a memory limit. Host networking (the services
 * take their port from PORT) or one port published on loopback, and the ulimits/runtime this
 * machine's podman needs.
 * @example hardenedRunArgs({ image: 'agentauth/web:0.1.0', user: '101:101', memory: '128m' }, process.env)
 */
function hardenedRunArgs(
  run: HardenedRun,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return [
    ...podmanRuntimeArgs(env),
    'run',
    '--detach',
    ...(run.name ? ['--name', run.name] : []),
    ...(run.publish
      ? [`--publish=127.0.0.1:${run.publish.hostPort}:${run.publish.containerPort}`]
      : ['--network=host']),
    `--user=${run.user}`,
    '--read-only',
    '--read-only-tmpfs=false',
    `--tmpfs=/tmp:rw,nosuid,nodev,mode=1777,size=${run.tmpfsSize ?? '64m'}`,
    '--cap-drop=ALL',
    '--security-opt=no-new-privileges',
    `--memory=${run.memory}`,
    ...RUN_ULIMITS,
    ...Object.keys(run.env ?? {}).map((name) => `--env=${name}`),
    ...(run.mounts ?? []).map((m) => `--mount=type=bind,source=${m.source},target=${m.target}`),
    run.image,
  ];
}

/** A started container. */
export interface RunningContainer {
  readonly id: string;
  /** The image it runs (what the runtime's process helpers call a child's name). */
  readonly name: string;
  /** stdout and stderr so far. */
  logs(): string;
  isRunning(): boolean;
  /** Polls `url` until it answers 2xx; fails when the container exits or after `timeoutMs`. */
  waitHealthy(url: string, timeoutMs?: number): Promise<void>;
  /** Stops (SIGTERM, then SIGKILL after 10 s) and removes the container. */
  stop(): Promise<void>;
}

/**
 * Starts a container with {@link hardenedRunArgs}.
 * @example const acs = startContainer({ image, user: '1000:1000', memory: '256m', env: { PORT: '9096' } })
 */
export function startContainer(
  run: HardenedRun,
  env: Readonly<Record<string, string | undefined>> = process.env,
): RunningContainer {
  const started = spawnSync('podman', hardenedRunArgs(run, env), {
    encoding: 'utf8',
    env: { ...process.env, ...run.env },
  });
  if (started.status !== 0) {
    throw new Error(`podman run ${run.image} failed:\n${started.stderr}`);
  }
  const id = started.stdout.trim();
  const logs = () => {
    const out = spawnSync('podman', ['logs', id], { encoding: 'utf8' });
    return `${out.stdout}${out.stderr}`;
  };
  const isRunning = () =>
    podman(['container', 'inspect', '--format', '{{.State.Running}}', id], {
      allowFailure: true,
    }).stdout.trim() === 'true';
  return {
    id,
    logs,
    isRunning,
    name: run.image,
    async waitHealthy(url, timeoutMs = 30_000) {
      // The runtime's one health poll; a container that exits or never answers shows its logs.
      await waitHealthy(url, { name: run.image, isRunning }, { timeoutMs }).catch((error) => {
        throw new Error(`${(error as Error).message}\n${logs()}`);
      });
    },
    async stop() {
      podman(['stop', '--time', '10', id], { allowFailure: true });
      podman(['rm', '--force', id], { allowFailure: true });
    },
  };
}
