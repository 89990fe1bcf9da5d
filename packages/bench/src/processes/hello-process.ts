import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { HelloKind } from './hello-server.js';

/** A baseline server running in its own process. */
export interface HelloProcess {
  readonly kind: HelloKind;
  readonly origin: string;
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** SIGTERM without waiting: for the bench's own exit path. */
  kill(): void;
}

const ENTRY = new URL('./hello-server.js', import.meta.url);

/**
 * Starts a baseline server in its own process, so it never shares an event loop (or a core's
 * time slice) with the load generator or with another server.
 * @example const express = await startHello('express'); express.origin
 */
export async function startHello(kind: HelloKind): Promise<HelloProcess> {
  const child = fork(ENTRY, [kind], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const [message] = (await Promise.race([
    once(child, 'message'),
    exited.then(() => {
      throw new Error(`the ${kind} hello server exited at start`);
    }),
  ])) as [{ port: number }];
  return {
    kind,
    origin: `http://127.0.0.1:${message.port}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
