import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A started process, its output prefixed with its name. */
export interface Child {
  readonly name: string;
  readonly pid: number | undefined;
  /** The underlying process (for IPC messages when started with `ipc`). */
  readonly process: ChildProcess;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGTERM without waiting (an exit path that cannot wait). */
  kill(): void;
}

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Open an IPC channel (`process.send`) to a Node child. */
  readonly ipc?: boolean;
  /** Discard stdout instead of reading it (a service logging under load). */
  readonly discardStdout?: boolean;
  /**
   * Open descriptors of this process the child inherits as fd 3, 4, … (after the IPC channel, if
   * any): e.g. a listening socket bound here, so the child never binds a port itself.
   */
  readonly inheritFds?: readonly number[];
}

/**
 * Starts a process whose stdout and stderr lines are written to `write` as `[name] line`
 * (the prefix padded to `width`). It stays in the caller's process group, so a terminal's Ctrl-C
 * reaches it as well; callers still stop it explicitly.
 * @example const acs = startChild({ name: 'acs', command: process.execPath, args: [main], env }, print)
 */
export function startChild(spec: ChildSpec, write: (line: string) => void, width = 0): Child {
  const stdio = ['ignore', spec.discardStdout ? 'ignore' : 'pipe', 'pipe'] as const;
  const child: ChildProcess = spawn(spec.command, [...spec.args], {
    env: spec.env,
    cwd: spec.cwd,
    stdio: [...stdio, ...(spec.ipc ? (['ipc'] as const) : []), ...(spec.inheritFds ?? [])],
  });
  const prefix = `[${spec.name}]`.padEnd(width + 2);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => write(`${prefix} ${line}`));
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      write(`${prefix} could not start: ${error.message}`);
      resolve('error');
    });
  });
  let running = true;
  void exited.then(() => {
    running = false;
  });
  return {
    name: spec.name,
    pid: child.pid,
    process: child,
    exited,
    isRunning: () => running,
    stop: async (graceMs = 10_000) => {
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill: () => {
      if (running) child.kill('SIGTERM');
    },
  };
}
