import { type Child, freePort, startChild, waitHealthy } from '@agentauth/stack';
import { outputBuffer } from './output-buffer.js';
import { HEALTH_PATH, type ServiceName, serviceMain } from './repo-paths.js';
import { SECRET } from './tokens.js';

/** One service running from its built `dist/main.js` on a loopback port. */
export interface RunningService {
  readonly name: ServiceName;
  readonly port: number;
  /** `127.0.0.1:<port>`, as nginx upstreams want it. */
  readonly address: string;
  readonly url: string;
  readonly child: Child;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node packages/<name>/dist/main.js` with the e2e secret on a free loopback port (or
 * `port`) and waits for its health route.
 * @example const acs = await startService('access-control-service')
 */
export async function startService(
  name: ServiceName,
  env: Readonly<Record<string, string>> = {},
  port?: number,
): Promise<RunningService> {
  const listen = port ?? (await freePort());
  const out = outputBuffer();
  const child = startChild(
    {
      name,
      command: process.execPath,
      args: [serviceMain(name)],
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(listen),
        LOG_LEVEL: 'warn',
        AUTH_JWT_SECRET: SECRET,
        ...env,
      },
    },
    out.print,
  );
  const url = `http://127.0.0.1:${listen}`;
  try {
    await waitHealthy(`${url}${HEALTH_PATH[name]}`, child, { timeoutMs: 20_000 });
  } catch (error) {
    await child.stop(2_000);
    throw new Error(`${(error as Error).message}\n${out.text()}`);
  }
  return {
    name,
    port: listen,
    address: `127.0.0.1:${listen}`,
    url,
    child,
    output: out.text,
    stop: () => child.stop(5_000),
  };
}
