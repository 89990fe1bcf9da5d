// A baseline server in its own process (`node hello-server.js <kind>`): the least work an HTTP
// server or a WebSocket server can do, measured in the same run as the real services. Sends
// `{ port }` to its parent over IPC once listening.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { WebSocketServer } from 'ws';

/** The baselines: a node:http hello, an express hello, a ws server that greets and stays open. */
export const HELLO_KINDS = ['node-http', 'express', 'ws'] as const;
export type HelloKind = (typeof HELLO_KINDS)[number];

function helloServer(kind: HelloKind): Server {
  if (kind === 'node-http') return createServer((_req, res) => res.end('hello'));
  if (kind === 'express') {
    // A default express app, as anyone would write it: the baseline the decision target names.
    const app = express();
    app.get('/', (_req, res) => {
      res.send('hello');
    });
    return createServer(app);
  }
  const server = createServer((_req, res) => res.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true, maxPayload: 65_536 });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => ws.send('{"type":"hello"}'));
  });
  return server;
}

const kind = process.argv[2] as HelloKind;
if (!HELLO_KINDS.includes(kind)) {
  console.error(`hello-server: unknown kind ${kind}; one of ${HELLO_KINDS.join(', ')}`);
  process.exit(2);
}
const server = helloServer(kind).listen(0, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('disconnect', () => process.exit(0));
