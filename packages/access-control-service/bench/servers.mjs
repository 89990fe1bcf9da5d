// Bench targets, each started in its own process (`node bench/servers.mjs <name>`) so the load
// generator never shares an event loop with the server it measures. Prints one JSON line
// `{ "port": n, "token"?: "…" }` once listening.

import { once } from 'node:events';
import { createServer } from 'node:http';

const name = process.argv[2];
const ready = (server, extra = {}) =>
  process.stdout.write(`${JSON.stringify({ port: server.address().port, ...extra })}\n`);

if (name === 'node-hello') {
  const server = createServer((_req, res) => res.end('hello')).listen(0, '127.0.0.1');
  await once(server, 'listening');
  ready(server);
} else if (name === 'express-hello') {
  const { default: express } = await import('express');
  const app = express();
  app.get('/', (_req, res) => res.send('hello'));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  ready(server);
} else if (name === 'access-control') {
  const { createTokenVerifier, signToken } = await import('@agentauth/auth-core');
  const { default: pino } = await import('pino');
  const { Registry } = await import('prom-client');
  const { createApp } = await import('../dist/app.js');
  const { createLogger, listen } = await import('@agentauth/service-runtime');
  const { createServiceServer } = await import('../dist/server.js');
  const key = new TextEncoder().encode('bench-only-secret-0123456789abcdef0123456789abcdef');
  const token = await signToken(
    { uid: 7, name: 'alice', email: 'alice@example.com', role: 'REGULAR' },
    { key, ttl: '1h' },
  );
  // Logging stays on at info, as in production; the lines go to /dev/null instead of a pipe.
  const { logger } = createLogger(
    'access-control-service',
    'info',
    pino.destination({ dest: '/dev/null', sync: false }),
  );
  const app = createApp(
    {},
    { verifier: createTokenVerifier({ key }), logger, registry: new Registry() },
  );
  const server = await listen(createServiceServer(app), { port: 0, host: '127.0.0.1' });
  ready(server, { token });
} else {
  console.error(`unknown bench server ${name}`);
  process.exit(2);
}
