import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { identityHeadersFor, type SessionUser } from '@agentauth/auth-core';

/** A stand-in for a broken access-control-service. */
export interface StallingAuthorizer {
  readonly address: string;
  /** Connections accepted (hung) or requests received (slow). */
  readonly seen: () => number;
  /**
   * Slow only: resolves once every request received has ended, each as `answered late` (the
   * ALLOW was written to an open connection) or `dropped before answering` (the gateway closed
   * the connection first). Rejects after `timeoutMs`.
   */
  readonly settled: (timeoutMs?: number) => Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Accepts TCP connections and never answers: an access-control-service that hangs.
 * @example const hung = await startHungAuthorizer()
 */
export async function startHungAuthorizer(): Promise<StallingAuthorizer> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const server = createTcpServer((socket) => {
    seen++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  return listening(
    server,
    sockets,
    () => seen,
    () => Promise.reject(new Error('a hung authorizer never answers')),
  );
}

/**
 * Answers every authorize request with an ALLOW (200 and `user`'s identity headers), but only
 * after `delayMs`: an access-control-service slower than the gateway's timeout, whose late "yes"
 * must not count.
 * @example const slow = await startSlowAuthorizer(7_000, { uid: 1, name: 'root', email: null, role: 'ADMIN' })
 */
export async function startSlowAuthorizer(
  delayMs: number,
  user: SessionUser,
): Promise<StallingAuthorizer> {
  const sockets = new Set<Socket>();
  let seen = 0;
  const ended: Promise<string>[] = [];
  const server = createServer((_req, res) => {
    seen++;
    ended.push(
      new Promise<string>((resolve) => {
        const timer = setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(200, identityHeadersFor(user)).end();
          resolve('answered late');
        }, delayMs);
        res.on('close', () => {
          clearTimeout(timer);
          resolve('dropped before answering');
        });
      }),
    );
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const settled = (timeoutMs = 15_000) =>
    withTimeout(Promise.all(ended), timeoutMs, "the slow authorizer's requests did not end");
  return listening(server, sockets, () => seen, settled);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function listening(
  server: Server | ReturnType<typeof createTcpServer>,
  sockets: Set<Socket>,
  seen: () => number,
  settled: StallingAuthorizer['settled'],
): Promise<StallingAuthorizer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    settled,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
