import type { Child } from '@agentauth/service-runtime/process';

/** A process of the stack that is restarted when it dies on its own. */
export interface Supervised {
  readonly name: string;
  /** The pid of the current process (a restart changes it). */
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Starts the process (again, after `stop`) and resolves once it is ready. */
  start(): Promise<void>;
  /** Stops it for good: no restart. */
  stop(graceMs?: number): Promise<void>;
  /** No more restarts from now on (the process keeps running until `stop`). */
  hold(): void;
  /** SIGTERM without waiting, no restart. */
  kill(): void;
  /** Resolves with one sentence when it keeps dying (a crash loop): the stack then ends. */
  readonly gaveUp: Promise<string>;
}

export interface SuperviseOptions {
  /** Receives the supervisor's own sentences (exits, restarts). */
  readonly report: (text: string) => void;
  /** Pause before each successive restart; the last one repeats. */
  readonly backoffMs?: readonly number[];
  /** Restarts allowed within `windowMs` before it counts as a crash loop. */
  readonly maxRestarts?: number;
  readonly windowMs?: number;
}

/** 0.25 s, doubling to 4 s: a crash loop of five restarts ends the stack in under 8 s. */
export const RESTART_BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000] as const;
export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 60_000;

/**
 * Runs `launch` (start a process and resolve once it answers) and restarts it with backoff
 * whenever it exits without being asked to, reporting each exit; after `maxRestarts` restarts in
 * `windowMs`, `gaveUp` resolves with one sentence instead.
 * @example const acs = supervise('access-control-service', () => startAcs(), { report: print }); await acs.start()
 */
export function supervise(
  name: string,
  launch: () => Promise<Child>,
  {
    report,
    backoffMs = RESTART_BACKOFF_MS,
    maxRestarts = MAX_RESTARTS,
    windowMs = RESTART_WINDOW_MS,
  }: SuperviseOptions,
): Supervised {
  let child: Child | undefined;
  let wanted = false;
  let restarts: number[] = [];
  let giveUp = (_reason: string) => {};
  const gaveUp = new Promise<string>((resolve) => {
    giveUp = resolve;
  });
  let pause: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  const onExit = async (code: number | string) => {
    if (!wanted) return;
    const now = Date.now();
    restarts = restarts.filter((at) => now - at < windowMs);
    if (restarts.length >= maxRestarts) {
      wanted = false;
      giveUp(
        `${name} keeps exiting (${code}; restarted ${restarts.length} times in ${windowMs / 1000} s), so the stack stops.`,
      );
      return;
    }
    const delay = backoffMs[Math.min(restarts.length, backoffMs.length - 1)] ?? 1_000;
    restarts.push(now);
    // Reported after the pause: a terminal's Ctrl-C reaches the processes too, and the stack's own
    // signal handler (which holds every restart) gets the first word.
    await new Promise<void>((resolve) => {
      pause = { timer: setTimeout(resolve, delay), resolve };
    });
    pause = undefined;
    if (!wanted) return;
    report(`${name} exited (${code}); restarting it after ${delay / 1000} s.`);
    try {
      await run();
      report(`${name} is back.`);
    } catch {
      // It died (or never answered) while starting: counted as another exit.
      await onExit('while starting');
    }
  };

  const run = async () => {
    const started = await launch();
    child = started;
    void started.exited.then((code) => {
      if (child === started) void onExit(code);
    });
  };

  return {
    name,
    get pid() {
      return child?.pid;
    },
    isRunning: () => child?.isRunning() ?? false,
    async start() {
      wanted = true;
      await run();
    },
    async stop(graceMs) {
      this.hold();
      await child?.stop(graceMs);
    },
    hold() {
      wanted = false;
      if (pause) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
    },
    kill() {
      wanted = false;
      child?.kill();
    },
    gaveUp,
  };
}
