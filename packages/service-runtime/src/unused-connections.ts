import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Per server: the connections that have not begun a request (nor an upgrade) yet. */
const unused = new WeakMap<Server, Set<Socket>>();

/**
 * Starts remembering which of the server's connections have not sent a request yet. Node's
 * `closeIdleConnections()` leaves such a connection open (it counts as waiting for headers), so a
 * browser's preconnect or a gateway's warm pool would hold a drain until its bound. Idempotent.
 * @example watchUnusedConnections(server)
 */
export function watchUnusedConnections(server: Server): void {
  if (unused.has(server)) return;
  const sockets = new Set<Socket>();
  unused.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // From its first request on, a connection's idleness is Node's to judge; an upgraded one is
  // the WebSocket server's to close.
  const used = (req: { socket: Socket }) => sockets.delete(req.socket);
  server.on('request', used);
  server.on('upgrade', used);
}

/**
 * Destroys the connections that have not sent a single byte; one that has begun its request
 * headers is left to finish. Returns how many it closed. Only knows servers it watches.
 * @example closeUnusedConnections(server) // 1
 */
export function closeUnusedConnections(server: Server): number {
  let closed = 0;
  for (const socket of unused.get(server) ?? []) {
    if (socket.bytesRead > 0) continue;
    socket.destroy();
    closed += 1;
  }
  return closed;
}
