import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childPids, reservePort } from '@agentauth/service-runtime/process';

/** The repository root (this file is packages/web/test/e2e/harness/stack.ts). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');

/** The whole product on loopback ports, started by the same script as `pnpm start`. */
export interface Stack {
  /** The gateway (nginx) origin, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** The shared JWT secret the services verify with (tests mint tokens with it). */
  readonly secret: string;
  /** The sign-in link the start script printed, if it printed one. */
  readonly signInLink: string | null;
  /** What the stack printed so far, tokens redacted (for failure messages). */
  output(): string;
  /** The pid of the start script's child whose command names `service` (e.g. `agent-service`). */
  servicePid(service: string): number | null;
  stop(): Promise<void>;
}

const LINK = /(https?:\/\/[^\s/]+)\/#access_token=([A-Za-z0-9_.-]+)/;

/** Keeps tokens out of anything a test prints. */
const redact = (text: string) =>
  text.replace(/(access_token=|access-token=|Bearer )[A-Za-z0-9_.%-]+/g, '$1[redacted]');

/**
 * Starts the stack with its own secret, ports and data directory, and waits until the gateway
 * serves the app and printed its sign-in link.
 * @example const stack = await startStack(); await page.goto(stack.signInLink)
 */
export async function startStack(
  options: { timeoutMs?: number; env?: Readonly<Record<string, string>> } = {},
): Promise<Stack> {
  const script = join(REPO_ROOT, 'scripts/start.mjs');
  if (!existsSync(script)) {
    throw new Error(`The stack start script ${script} is missing; the e2e tests need pnpm start.`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'agentauth-e2e-'));
  const secret = randomBytes(32).toString('hex');
  // Held until the stack stops: the start script's processes bind them (beside the reservation),
  // and no other process is handed one before they do.
  const reserved = Array.from({ length: 4 }, () => reservePort());
  const [gateway, acs, agents, model] = reserved.map((r) => r.port) as [
    number,
    number,
    number,
    number,
  ];
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AUTH_JWT_SECRET: secret,
      AGENTAUTH_GATEWAY_PORT: String(gateway),
      AGENTAUTH_ACS_PORT: String(acs),
      AGENTAUTH_AGENT_SERVICE_PORT: String(agents),
      AGENTAUTH_DEV_MODEL_PORT: String(model),
      AGENTAUTH_DATA_DIR: dataDir,
      AGENTAUTH_SKIP_BUILD: '1',
      DEV_MODEL_DELAY_MS: '40',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => {
        // The start script did not stop in time: end its whole process group.
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    for (const r of reserved) r.release();
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  let signInLink: string | null = null;
  let baseUrl = `http://127.0.0.1:${gateway}`;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`the start script exited with ${child.exitCode}`);
      }
      const match = LINK.exec(output);
      if (match?.[1]) {
        signInLink = match[0];
        baseUrl = match[1];
        const ready = await fetch(`${baseUrl}/`).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
      }
      if (Date.now() > deadline) throw new Error('the stack did not become ready in time');
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}. Its output:\n${redact(output)}`);
  }
  const servicePid = (service: string) => {
    for (const pid of child.pid ? childPids(child.pid) : []) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`/${service}/`)) return pid;
      } catch {
        // The process ended meanwhile.
      }
    }
    return null;
  };
  return { baseUrl, secret, signInLink, output: () => redact(output), servicePid, stop };
}
