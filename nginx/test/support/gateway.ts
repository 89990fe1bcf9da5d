import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx, type GatewayInput, renderNginxConf } from '../../src/index.js';
import { freePort, waitForPort } from './ports.js';

/** A real nginx serving the rendered gateway config on a loopback port. */
export interface RunningGateway {
  readonly port: number;
  readonly origin: string;
  readonly prefix: string;
  readonly staticRoot: string;
  readonly config: string;
  readonly benchmarkControlPort: number | undefined;
  accessLog(): string;
  errorLog(): string;
  stop(): Promise<void>;
}

export type GatewayTestOptions = Omit<GatewayInput, 'staticRoot' | 'listen'> & {
  readonly staticRoot?: string;
};

/**
 * Renders the gateway config into a fresh temp prefix and starts nginx in the foreground on a free
 * loopback port. Throws with the install hint when nginx is missing (tests must fail, not skip).
 * @example const gw = await startGateway({ accessControlService: `127.0.0.1:${acs.port}` })
 */
export async function startGateway(options: GatewayTestOptions = {}): Promise<RunningGateway> {
  const nginx = findNginx(process.env);
  const prefix = mkdtempSync(join(tmpdir(), 'agentauth-nginx-'));
  // Workers may run as another user than the test (root master); let them read the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'run']) mkdirSync(join(prefix, dir));
  const staticRoot = options.staticRoot ?? writeStaticSite(join(prefix, 'www'));
  const port = await freePort();
  const config = renderNginxConf({
    // Suites send hundreds of token-less requests from 127.0.0.1 to check decisions, not the rate
    // limit; abuse-limits.test.ts sets the limits it tests.
    unauthenticatedRate: 100_000,
    unauthenticatedBurst: 100_000,
    ...options,
    staticRoot,
    listen: `127.0.0.1:${port}`,
    logDir: 'logs',
    runDir: 'run',
    user: process.getuid?.() === 0 ? 'root' : undefined,
    // Two workers: realistic (separate keep-alive pools) without one per CPU per test file.
    workerProcesses: 2,
  });
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, config);

  const check = spawnSync(nginx, ['-t', '-q', '-p', prefix, '-c', confPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);

  const child = spawn(nginx, ['-p', prefix, '-c', confPath, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    waitForPort(port),
    exited.then(() => {
      throw new Error(`nginx exited at start:\n${stderr}`);
    }),
  ]);

  const read = (name: string) => {
    try {
      return readFileSync(join(prefix, 'logs', name), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    prefix,
    staticRoot,
    config,
    benchmarkControlPort: options.benchmarkControlPort,
    accessLog: () => read('access.log'),
    errorLog: () => read('error.log'),
    stop: () =>
      stopProcess(child, exited).then(() => rmSync(prefix, { recursive: true, force: true })),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A tiny built web app: an index.html and a hashed asset. */
export function writeStaticSite(dir: string): string {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>agentauth</title><div id="root"></div>\n',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app");\n');
  chmodSync(dir, 0o755);
  return dir;
}
