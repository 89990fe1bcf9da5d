import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginxConf } from '@agentauth/nginx';
import { freePort } from '@agentauth/stack';
import { waitForAnswer } from './wait-for-answer.js';

/** A real nginx serving the rendered gateway config, plus its benchmark-only control route. */
export interface GatewayProcess {
  /** The gateway: /api/agents behind auth_request. */
  readonly origin: string;
  /** BENCHMARK ONLY: the same route without auth_request (the render option benchmarkControlPort). */
  readonly controlOrigin: string;
  readonly authCache: boolean;
  /** The master's pid (its children are the workers). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
  /** SIGTERM to the master without waiting (it stops its workers): for the bench's exit path. */
  kill(): void;
}

export interface GatewaySpec {
  readonly nginx: string;
  /** `host:port` of the access-control-service and the agent-service. */
  readonly accessControlService: string;
  readonly agentService: string;
  readonly authCache: boolean;
}

/**
 * Renders the gateway config with `@agentauth/nginx` (exactly what operators deploy, plus the
 * loopback-only control server) into a temp prefix, checks it with `nginx -t`, and runs nginx in
 * the foreground until `stop()`.
 * @example const gw = await startGateway({ nginx: findNginx(process.env), authCache: false, … })
 */
export async function startGateway(spec: GatewaySpec): Promise<GatewayProcess> {
  const prefix = mkdtempSync(join(tmpdir(), 'agentauth-bench-nginx-'));
  // A root master runs workers as root here (user directive), and they must read the prefix.
  chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'run', 'www']) mkdirSync(join(prefix, dir));
  writeFileSync(join(prefix, 'www', 'index.html'), '<!doctype html><title>bench</title>\n');
  const [port, controlPort] = [await freePort(), await freePort()];
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(
    confPath,
    renderNginxConf({
      listen: `127.0.0.1:${port}`,
      accessControlService: spec.accessControlService,
      agentService: spec.agentService,
      staticRoot: join(prefix, 'www'),
      logDir: 'logs',
      runDir: 'run',
      authCache: spec.authCache,
      benchmarkControlPort: controlPort,
      user: process.getuid?.() === 0 ? 'root' : undefined,
    }),
  );
  const args = ['-p', prefix, '-c', confPath];
  const check = spawnSync(spec.nginx, ['-t', '-q', ...args], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the rendered config:\n${check.stderr}`);

  const child: ChildProcess = spawn(spec.nginx, [...args, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'exit');
  const alive = () => child.exitCode === null && child.signalCode === null;
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (alive()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  };
  try {
    // Ready means the whole chain answers: nginx → auth_request → access-control-service → 401.
    await waitForAnswer(`${origin}/api/agents`, alive, { status: 401 });
  } catch (error) {
    await stop();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    origin,
    controlOrigin: `http://127.0.0.1:${controlPort}`,
    authCache: spec.authCache,
    pid: child.pid,
    stop,
    kill: () => {
      if (alive()) child.kill('SIGTERM');
    },
  };
}
