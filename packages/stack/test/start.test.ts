import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenVerifier, loadSecret } from '@agentauth/auth-core';
import { reservePort } from '@agentauth/service-runtime/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `pnpm start` as a user runs it: scripts/start.mjs as a real process (the build step skipped,
// turbo built the stack before this test), on free ports, with its own data directory.

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));
const LINK = /(http:\/\/127\.0\.0\.1:\d+)\/#access_token=([A-Za-z0-9_.-]+)/;

/** Every live descendant of `pid` (children, grandchildren such as nginx workers), from /proc. */
function descendants(pid: number): number[] {
  const table: Array<readonly [number, number]> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after ")".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') table.push([Number(entry), Number(ppid)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [p, pp] of table) {
      if (pp === parent) {
        found.push(p);
        walk(p);
      }
    }
  };
  walk(pid);
  return found;
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Started {
  readonly child: ChildProcess;
  readonly ports: { gateway: number; acs: number; agent: number; model: number };
  readonly exited: Promise<number | null>;
  output(): string;
}

/** How the stack is started: the script itself, or `pnpm start` in a process group of its own. */
type Launcher = 'script' | 'pnpm';

async function startScript(
  dataDir: string,
  webRoot: string,
  env: NodeJS.ProcessEnv = {},
  launcher: Launcher = 'script',
) {
  // Held until the stack exits: its processes bind them (and the supervisor binds a restarted
  // child's again) beside the reservation; nobody else is handed one meanwhile.
  const reserved = Array.from({ length: 4 }, () => reservePort());
  const [gateway, acs, agent, model] = reserved.map((r) => r.port) as [
    number,
    number,
    number,
    number,
  ];
  const ports = { gateway, acs, agent, model };
  const base = { ...process.env };
  for (const name of ['AUTH_JWT_SECRET', 'AUTH_CONF_PATH', 'LLM_BASE_URL', 'AGENT_DB_PATH']) {
    delete base[name];
  }
  // `pnpm start` runs in a new process group, so a signal to the group is a terminal's Ctrl-C.
  const [command, args] = launcher === 'pnpm' ? ['pnpm', ['start']] : [process.execPath, [SCRIPT]];
  const child = spawn(command, args, {
    cwd: REPO,
    detached: launcher === 'pnpm',
    env: {
      ...base,
      AGENTAUTH_SKIP_BUILD: '1',
      AGENTAUTH_GATEWAY_PORT: String(ports.gateway),
      AGENTAUTH_ACS_PORT: String(ports.acs),
      AGENTAUTH_AGENT_SERVICE_PORT: String(ports.agent),
      AGENTAUTH_DEV_MODEL_PORT: String(ports.model),
      AGENTAUTH_DATA_DIR: dataDir,
      AGENTAUTH_WEB_ROOT: webRoot,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  void exited.then(() => {
    for (const r of reserved) r.release();
  });
  return { child, ports, exited, output: () => output } satisfies Started;
}

async function waitForLink(started: Started, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = LINK.exec(started.output());
    if (match) return { origin: match[1] as string, token: match[2] as string, link: match[0] };
    if (started.child.exitCode !== null || Date.now() > deadline) {
      started.child.kill('SIGKILL');
      throw new Error(`no sign-in link; output:\n${started.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(started.output())) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in the output:\n${started.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const portOpen = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

let dataDir: string;
let webRoot: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'agentauth-start-'));
  webRoot = join(dataDir, 'web');
  mkdirSync(webRoot);
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>agentauth test app</title>\n');
  chmodSync(dataDir, 0o755);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('pnpm start (scripts/start.mjs)', () => {
  let first: Started;
  let link: Awaited<ReturnType<typeof waitForLink>>;
  let pids: number[];

  it('starts everything and prints the URL and a sign-in link', async () => {
    first = await startScript(dataDir, webRoot);
    link = await waitForLink(first);
    expect(link.origin).toBe(`http://127.0.0.1:${first.ports.gateway}`);
    expect(first.output()).toContain(`ready: ${link.origin}/`);
    pids = descendants(first.child.pid as number);
    // dev model, access-control-service, agent-service, nginx master and at least one worker
    expect(pids.length).toBeGreaterThanOrEqual(5);
  }, 90_000);

  it("signs in the demo REGULAR user with the auth core's token, kept out of the query", async () => {
    const conf = join(dataDir, 'auth.conf');
    const { key } = await loadSecret({ AUTH_CONF_PATH: conf });
    const verified = await createTokenVerifier({ key }).verify(link.token);
    expect(verified.user).toMatchObject({ role: 'REGULAR', name: 'demo' });
    expect(new URL(link.link).search).toBe('');
  });

  it('serves the web app and the authenticated API through the gateway', async () => {
    const app = await fetch(`${link.origin}/`);
    expect(await app.text()).toContain('agentauth test app');
    const list = await fetch(`${link.origin}/api/agents`, {
      headers: { authorization: `Bearer ${link.token}` },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ agents: [], access: 'shared' });
    expect((await fetch(`${link.origin}/api/agents`)).status).toBe(401);
  });

  it('keeps the generated secret private and never prints it', () => {
    const conf = join(dataDir, 'auth.conf');
    const secret = /"([0-9a-f]{64})"/.exec(readFileSync(conf, 'utf8'))?.[1] as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.output()).not.toContain(secret);
    expect(first.output()).not.toContain(secret.slice(0, 16));
  });

  it('keeps tokens out of the gateway access log', () => {
    const log = readFileSync(join(dataDir, 'nginx', 'logs', 'access.log'), 'utf8');
    expect(log).toContain('"status":200');
    expect(log).not.toContain(link.token);
  });

  it('stops every process on SIGTERM', async () => {
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped.');
    expect(pids.filter(alive)).toEqual([]);
    for (const port of Object.values(first.ports)) expect(await portOpen(port)).toBe(false);
  }, 30_000);

  it('keeps the secret on the next start (the old link still works) and stops on SIGINT', async () => {
    const again = await startScript(dataDir, webRoot);
    const next = await waitForLink(again);
    expect(again.output()).toMatch(/JWT secret: kept in/);
    const res = await fetch(`${next.origin}/api/agents`, {
      headers: { authorization: `Bearer ${link.token}` },
    });
    expect(res.status).toBe(200);
    const running = descendants(again.child.pid as number);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
    expect(running.filter(alive)).toEqual([]);
  }, 90_000);

  it('ends cleanly on Ctrl-C through `pnpm start`, with no ELIFECYCLE line', async () => {
    const run = await startScript(dataDir, webRoot, {}, 'pnpm');
    await waitForLink(run);
    const running = descendants(run.child.pid as number);
    process.kill(-(run.child.pid as number), 'SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopped.');
    expect(run.output()).not.toContain('ELIFECYCLE');
    // The processes got the Ctrl-C too; their exit is no crash to restart.
    expect(run.output()).not.toContain('restarting');
    expect(running.filter(alive)).toEqual([]);
  }, 90_000);

  it('restarts a process that dies, and the gateway answers again', async () => {
    const run = await startScript(dataDir, webRoot);
    const { origin } = await waitForLink(run);
    const running = descendants(run.child.pid as number);
    const acs = running.find((pid) => commandLine(pid).includes('access-control-service'));
    expect(acs).toBeDefined();
    process.kill(acs as number, 'SIGKILL');
    await waitForOutput(run, /access-control-service is back\./);
    expect(run.output()).toMatch(
      /access-control-service exited \(SIGKILL\); restarting it after 0\.25 s\./,
    );
    expect(run.child.exitCode).toBeNull();
    expect((await fetch(`${origin}/api/agents`)).status).toBe(401);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  }, 90_000);

  it('ends with one sentence and exit 1 when a process keeps dying', async () => {
    const run = await startScript(dataDir, webRoot, { AGENT_DB_PATH: join(dataDir, 'loop.db') });
    await waitForLink(run);
    const agent = descendants(run.child.pid as number).find((pid) =>
      commandLine(pid).includes('agent-service'),
    );
    // Every restart now finds a file that is no SQLite database, and exits at once.
    rmSync(join(dataDir, 'loop.db-wal'), { force: true });
    rmSync(join(dataDir, 'loop.db-shm'), { force: true });
    writeFileSync(join(dataDir, 'loop.db'), 'not sqlite');
    process.kill(agent as number, 'SIGKILL');
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(
      /\[stack\] +agent-service keeps exiting \(while starting; restarted 5 times in 60 s\), so the stack stops\./,
    );
    expect(run.output()).toContain('is not a usable agent database');
  }, 90_000);

  it('says how to install nginx when it is missing, and starts nothing', async () => {
    const run = await startScript(dataDir, webRoot, { NGINX_BIN: '/nonexistent/nginx' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('bash scripts/setup nginx');
    expect(run.output()).not.toContain('[access-control-service]');
  });

  it('refuses a bad setting in one sentence', async () => {
    const run = await startScript(dataDir, webRoot, { AGENTAUTH_GATEWAY_PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(
      'start: AGENTAUTH_GATEWAY_PORT must be a whole number between 1 and 65535.',
    );
  });
});
