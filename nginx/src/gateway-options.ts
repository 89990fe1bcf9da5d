import { isAbsolute } from 'node:path';
import { z } from 'zod';

// Values land inside nginx directives: refuse anything that could end a directive, open a block,
// quote, interpolate a variable or start a comment.
const SAFE_PATH = /^[^\s"'\\;{}$#]+$/;
const PORT = z.number().int().min(1).max(65_535);
const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])`;
const HOST_PORT = new RegExp(`^${HOST}:\\d{1,5}$`);
const UPSTREAM = z
  .string()
  .refine((v) => (HOST_PORT.test(v) && portOk(v)) || /^unix:\/[^\s"'\\;{}$#]+$/.test(v), {
    message: 'must be host:port or unix:/path',
  });

function portOk(hostPort: string): boolean {
  const port = Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
  return port >= 1 && port <= 65_535;
}

/** The variables of the gateway config. */
export const gatewayOptionsSchema = z.object({
  /** `listen` argument: a port (`8080`, every interface) or `address:port` (`127.0.0.1:8080`). */
  listen: z
    .string()
    .refine((v) => (/^\d{1,5}$/.test(v) ? portOk(`x:${v}`) : HOST_PORT.test(v) && portOk(v)), {
      message: 'must be a port or address:port',
    }),
  /** The access-control-service, `host:port` (or `unix:/path`). */
  accessControlService: UPSTREAM,
  /**
   * The agent-service, `host:port` (or `unix:/path`); several replicas (PostgreSQL mode) as a
   * comma list, all in one upstream.
   */
  agentService: z
    .string()
    .refine((v) => v.split(',').every((one) => UPSTREAM.safeParse(one.trim()).success), {
      message: 'must be host:port or unix:/path, or a comma list of them',
    }),
  /** Absolute path of the built web app (`packages/web/dist`). */
  staticRoot: z.string().refine((v) => isAbsolute(v) && SAFE_PATH.test(v), {
    message: 'must be an absolute path without spaces, quotes, ; { } $ or #',
  }),
  /** Log directory; relative paths are resolved by nginx against its prefix (`-p`). */
  logDir: z.string().regex(SAFE_PATH, 'must be a path without spaces, quotes, ; { } $ or #'),
  /** pid file, temp files and the auth cache; relative to the prefix like `logDir`. */
  runDir: z.string().regex(SAFE_PATH, 'must be a path without spaces, quotes, ; { } $ or #'),
  /** Cache allow decisions in nginx for `authCacheSeconds` (off by default; see docs). */
  authCache: z.boolean(),
  authCacheSeconds: z.number().int().min(1).max(300),
  /** Worker processes of a complete nginx.conf: a number, or `auto` (one per CPU). */
  workerProcesses: z.union([z.literal('auto'), z.number().int().min(1).max(64)]),
  /** `user` directive of a complete nginx.conf; only meaningful when the master runs as root. */
  user: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*(?: [A-Za-z_][\w.-]*)?$/, 'must be "user" or "user group"')
    .optional(),
  /** Seconds a client has to send a whole request head (not per line: a slow drip cannot stretch it). */
  clientHeaderTimeout: z.number().int().min(1).max(300),
  /** Seconds nginx waits between two reads of a request body before answering 408. */
  clientBodyTimeout: z.number().int().min(1).max(300),
  /** Seconds nginx waits between two writes to a client that does not read (REST and WebSocket). */
  sendTimeout: z.number().int().min(1).max(3600),
  /** Seconds an idle keep-alive connection is kept (it holds a worker connection, uncounted by the cap). */
  keepaliveTimeout: z.number().int().min(0).max(300),
  /** Concurrent requests (a WebSocket counts for its whole life) per client address; 429 beyond. */
  connectionsPerClient: z.number().int().min(1).max(100_000),
  /** Requests per second per client address that carry no credentials (no Authorization, no access-token). */
  unauthenticatedRate: z.number().int().min(1).max(100_000),
  /** Requests without credentials a client may send at once above the rate before it gets 429s. */
  unauthenticatedBurst: z.number().int().min(1).max(100_000),
  /** `worker_connections` of a complete nginx.conf: client + upstream connections per worker. */
  workerConnections: z.number().int().min(512).max(1_048_576),
  /** `worker_rlimit_nofile` of a complete nginx.conf; default twice `workerConnections`. */
  workerRlimitNofile: z.number().int().min(1024).max(4_194_304).optional(),
  /**
   * The web app's own server (`host:port`, e.g. the web image): `/` is proxied to it instead of
   * served from `staticRoot`. Its answers keep their own security headers.
   */
  webUpstream: UPSTREAM.optional(),
  /**
   * BENCHMARK ONLY: a loopback-only port serving /api/agents without the authorize subrequest.
   * Never set in production.
   */
  benchmarkControlPort: PORT.optional(),
});

export type GatewayOptions = z.infer<typeof gatewayOptionsSchema>;

/** What a caller must or may pass; everything else has a default. */
export type GatewayInput = {
  readonly [K in keyof GatewayOptions]?: GatewayOptions[K] | undefined;
} & {
  readonly staticRoot: string;
};

/** Defaults match the runtime contracts in docs/contributing.md. */
export const GATEWAY_DEFAULTS = {
  listen: '8080',
  accessControlService: '127.0.0.1:9096',
  agentService: '127.0.0.1:3001',
  logDir: 'logs',
  runDir: 'run',
  authCache: false,
  authCacheSeconds: 10,
  workerProcesses: 'auto',
  clientHeaderTimeout: 10,
  clientBodyTimeout: 10,
  sendTimeout: 30,
  keepaliveTimeout: 15,
  connectionsPerClient: 256,
  unauthenticatedRate: 20,
  unauthenticatedBurst: 40,
  workerConnections: 8192,
} as const satisfies Omit<GatewayOptions, 'staticRoot'>;

/** Bad render input, in one sentence naming the variable. */
export class GatewayOptionsError extends Error {
  override readonly name = 'GatewayOptionsError';
}

/**
 * Fills in defaults and validates the variables, or throws a GatewayOptionsError.
 * @example resolveGatewayOptions({ staticRoot: '/srv/web', listen: '127.0.0.1:8080' })
 */
export function resolveGatewayOptions(input: GatewayInput): GatewayOptions {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const parsed = gatewayOptionsSchema.safeParse({ ...GATEWAY_DEFAULTS, ...defined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') || 'options';
    throw new GatewayOptionsError(`Gateway option ${name} ${issue?.message ?? 'is invalid'}.`);
  }
  return parsed.data;
}
