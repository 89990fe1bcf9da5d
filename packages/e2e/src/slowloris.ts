import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What a slowloris run did, as counted by the attacker. */
export interface SlowlorisStats {
  /** Connections established (first ones and those opened again after the server closed one). */
  readonly opened: number;
  /** Connection attempts that failed (refused, reset before connecting, out of file descriptors). */
  readonly failed: number;
  /** Connections the server closed while the attacker was still dripping headers. */
  readonly closedByServer: number;
  /** Most connections open at once. */
  readonly peakOpen: number;
}

export interface SlowlorisRun {
  /** Resolves once the first `connections` are open (or the attack ended first), with that count. */
  readonly ready: Promise<number>;
  /** Resolves when the attack is over and every attacker socket is closed. */
  readonly done: Promise<SlowlorisStats>;
}

const SCRIPT = fileURLToPath(new URL('./slowloris-attacker.mjs', import.meta.url));

/**
 * Starts a slowloris attack in a child process from `from` (a loopback address) against
 * `127.0.0.1:port`: `connections` half-sent request heads, one more header line every `dripMs`,
 * closed connections opened again, for `seconds`. The child raises its own open-file limit (up to
 * the hard limit) so the test process's limit does not matter.
 * @example const attack = slowloris({ port, from: '127.0.0.2', connections: 2100, seconds: 15 }); await attack.ready
 */
export function slowloris(options: {
  readonly port: number;
  readonly from: string;
  readonly connections: number;
  readonly seconds: number;
  readonly dripMs?: number;
}): SlowlorisRun {
  const fdLimit = options.connections + 256;
  const args = [
    '-c',
    `ulimit -n ${fdLimit} 2>/dev/null; exec "$0" "$@"`,
    process.execPath,
    SCRIPT,
    '127.0.0.1',
    String(options.port),
    options.from,
    String(options.connections),
    String(options.seconds),
    String(options.dripMs ?? 3_000),
  ];
  const child = spawn('sh', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  let onReady: (n: number) => void = () => undefined;
  const ready = new Promise<number>((resolve) => {
    onReady = resolve;
  });
  const done = new Promise<SlowlorisStats>((resolve, reject) => {
    let stats: SlowlorisStats | undefined;
    lines.on('line', (line) => {
      const message = JSON.parse(line) as { ready?: number } & Partial<SlowlorisStats>;
      if (message.ready !== undefined) onReady(message.ready);
      else stats = message as SlowlorisStats;
    });
    child.once('exit', (code) => {
      onReady(0);
      if (stats) resolve(stats);
      else reject(new Error(`the slowloris attacker exited (${code}) without its totals`));
    });
  });
  return { ready, done };
}
