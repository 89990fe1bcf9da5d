import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { createTokenVerifier, type TokenVerifier } from '@agentauth/auth-core';
import { TEST_KEY } from '@agentauth/auth-core/testing';
import { createLogger, listen } from '@agentauth/service-runtime';
import { Registry } from 'prom-client';
import { createApp } from '../src/app.js';
import { createServiceServer } from '../src/server.js';

/** The methods a gateway may ask about (Envoy keeps the client's method). */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type Method = (typeof METHODS)[number];

/** A service under test, bound to 127.0.0.1 on a free port, with its log lines captured. */
export interface Running {
  readonly port: number;
  readonly registry: Registry;
  /** Every log line written so far, raw. */
  readonly lines: string[];
  /** Log lines parsed as JSON. */
  readonly records: () => Record<string, unknown>[];
  readonly close: () => Promise<void>;
}

/**
 * Starts the service the way `main` does (same server settings), with a test verifier and a
 * logger that writes into memory.
 */
export async function startService(
  options: { verifier?: TokenVerifier; bodyTimeoutMs?: number } = {},
): Promise<Running> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      done();
    },
  });
  const logger = createLogger('access-control-service', 'info', sink);
  const registry = new Registry();
  const verifier = options.verifier ?? createTokenVerifier({ key: TEST_KEY });
  const server = await listen(
    createServiceServer(
      createApp({ bodyTimeoutMs: options.bodyTimeoutMs }, { verifier, logger, registry }),
    ),
    { port: 0, host: '127.0.0.1' },
  );
  return {
    port: (server.address() as AddressInfo).port,
    registry,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Header names and values exactly as received. */
  readonly rawHeaders: string[];
  readonly body: string;
}

export interface Send {
  readonly method?: string;
  /** Sent verbatim as the request target (node:http does not normalise it, unlike fetch). */
  readonly path: string;
  /** Flat name/value list, so several spellings of one header can be sent side by side. */
  readonly headers?: readonly string[];
  readonly body?: string | Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * One request over real HTTP with full control of the target and header spellings.
 * @example await send(port, { method: 'PATCH', path: '/api/auth/api/agents/1/settings' })
 */
export function send(port: number, options: Send): Promise<Reply> {
  const headers = ['Host', `127.0.0.1:${port}`, ...(options.headers ?? [])];
  if (options.body !== undefined)
    headers.push('Content-Length', String(Buffer.byteLength(options.body)));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Writes bytes straight to the socket, for targets and headers node:http refuses to send;
 * resolves with the status code (0 when the server closed without answering).
 */
export function sendRaw(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      data += d;
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', reject);
    socket.end(Buffer.from(`${head}\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'));
  });
}

/** Client-sent identity headers in every case and underscore spelling, naming someone else. */
export const SPOOFED_IDENTITY: readonly string[] = ['id', 'name', 'email'].flatMap((part) => {
  const value = part === 'id' ? '999' : part === 'name' ? 'mallory' : 'mallory%40evil.example';
  return [
    `x-user-${part}`,
    `X-User-${cap(part)}`,
    `X-USER-${part.toUpperCase()}`,
    `x_user_${part}`,
    `X_User_${cap(part)}`,
    `X_USER_${part.toUpperCase()}`,
  ].flatMap((name) => [name, value]);
});

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** How each gateway would ask about `method target` (the client's own headers pass through). */
export const SHAPES = {
  envoy: (method: string, target: string, headers: readonly string[] = []): Send => ({
    method,
    path: `/api/auth${target}`,
    headers,
  }),
  nginx: (method: string, target: string, headers: readonly string[] = []): Send => ({
    method: 'GET',
    path: '/api/auth',
    headers: [...headers, 'X-Original-URI', target, 'X-Original-Method', method],
  }),
} as const;
export type ShapeName = keyof typeof SHAPES;

/** The body of a deny, parsed (empty for HEAD answers). */
export function errorCode(reply: Reply): string | undefined {
  if (reply.body === '') return undefined;
  return (JSON.parse(reply.body) as { error: { code: string } }).error.code;
}
