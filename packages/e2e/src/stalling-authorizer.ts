import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { identityHeadersFor, type SessionUser } from '@agentauth/auth-core';

/** A stand-in for a broken access-control-service. */
export interface StallingAuthorizer {
  readonly address: string;
  /** Connections accepted (hung) or requests received (slow). */
  readonly seen: () => number;
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
  return listening(server, sockets, () => seen);
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
  const server = createServer((_req, res) => {
    seen++;
    const timer = setTimeout(() => {
      if (!res.destroyed) res.writeHead(200, identityHeadersFor(user)).end();
    }, delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return listening(server, sockets, () => seen);
}

async function listening(
  server: Server | ReturnType<typeof createTcpServer>,
  sockets: Set<Socket>,
  seen: () => number,
): Promise<StallingAuthorizer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
