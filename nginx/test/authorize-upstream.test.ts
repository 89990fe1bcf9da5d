import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessEntries } from './support/access-log.js';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

// How nginx talks to the authorize upstream when it misbehaves at the TCP level, which the real
// access-control-service cannot be made to do: a listener that never completes a connection
// (proxy_connect_timeout 2s) and one that drops a request it has read (proxy_next_upstream off).
// These are scripted stand-ins on purpose; the deny and allow paths use the real service
// (services.test.ts, identity-and-outages.test.ts, real-deny-and-cache.test.ts).

let agent: RecordingServer;
beforeAll(async () => {
  agent = await startRecordingServer(() => ({ status: 200, body: '{"agents":[]}' }));
});
afterAll(() => agent.close());
afterEach(() => {
  agent.requests.length = 0;
});

const lastAuthStatus = (gw: RunningGateway) => accessEntries(gw).at(-1)?.auth_status;

const ask = (gw: RunningGateway) =>
  rawRequest(gw.port, ['GET /api/agents HTTP/1.1', 'Host: t', 'Authorization: Bearer x.y.z']);

/**
 * A loopback listener whose accept queue is full and whose process is stopped: the kernel drops
 * every further SYN, so a connect to it neither succeeds nor is refused — it hangs.
 */
async function startBlackhole(): Promise<{ port: number; close(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-e',
      "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>console.log(s.address().port))",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(
    createInterface({ input: child.stdout as NodeJS.ReadableStream }),
    'line',
  )) as [string];
  const port = Number(line);
  child.kill('SIGSTOP');
  // Backlog 1 queues two completed connections; these two fill it, so nginx's SYN is dropped.
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    await once(socket, 'connect');
  }
  return {
    port,
    async close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

describe('an authorize upstream that never completes the TCP handshake', () => {
  // Two gateways, asked at the same moment: one whose authorize upstream accepts and never answers
  // (the 5 s read timeout), one whose upstream never completes the handshake. The connect timeout
  // must fire first: with nginx's default (60 s), or any value past the read timeout, the order
  // flips. No duration is asserted; the order of the two answers is.
  it('fails closed at the connect timeout, before the read timeout: 503 ERR_AUTHORIZE_UNAVAILABLE, agent-service not called', async () => {
    const hole = await startBlackhole();
    const silent = await startRecordingServer(() => 'hang');
    const connecting = await startGateway({
      accessControlService: `127.0.0.1:${hole.port}`,
      agentService: agent.address,
    });
    const reading = await startGateway({
      accessControlService: silent.address,
      agentService: agent.address,
    });
    try {
      const order: string[] = [];
      const answers = await Promise.all(
        [
          ['connect', connecting],
          ['read', reading],
        ].map(async ([name, gw]) => {
          const res = await ask(gw as RunningGateway);
          order.push(name as string);
          return res;
        }),
      );
      expect(order).toEqual(['connect', 'read']);
      for (const res of answers) {
        expect(res.status).toBe(503);
        expect(JSON.parse(res.body).error.code).toBe('ERR_AUTHORIZE_UNAVAILABLE');
      }
      // 504: nginx's own upstream timeout on both (a refused connect would read 502).
      expect(lastAuthStatus(connecting)).toBe('504');
      expect(lastAuthStatus(reading)).toBe('504');
      expect(silent.requests).toHaveLength(1);
      expect(agent.requests).toHaveLength(0);
    } finally {
      await connecting.stop();
      await reading.stop();
      await silent.close();
      await hole.close();
    }
  }, 30_000);
});

/**
 * An authorize stand-in that allows the first request of every connection (keep-alive) and drops
 * the connection after reading any later one, without answering: the failure nginx meets when it
 * reuses a pooled connection. `heads` counts every request head it read.
 */
async function startDroppingAuthorizer(): Promise<{
  address: string;
  heads(): number;
  close(): Promise<void>;
}> {
  let heads = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    let served = 0;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        heads++;
        served++;
        if (served > 1) {
          socket.destroy();
          return;
        }
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-User-Id: 7\r\nX-User-Name: alice\r\nX-User-Email: a%40example.com\r\n\r\n',
        );
      }
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    heads: () => heads,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('an authorize request that fails after it was sent', () => {
  it('is not sent again (proxy_next_upstream off): the client gets 503, the agent-service nothing', async () => {
    const authorizer = await startDroppingAuthorizer();
    // One worker, so the second request is sure to meet the pooled connection of the first.
    const gw = await startGateway({
      accessControlService: authorizer.address,
      agentService: agent.address,
      workerProcesses: 1,
    });
    try {
      expect((await ask(gw)).status).toBe(200);
      expect(agent.requests).toHaveLength(1);
      const res = await ask(gw);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).error.code).toBe('ERR_AUTHORIZE_UNAVAILABLE');
      // The dropped request was read once and never retried on a fresh connection (a retry
      // would log "502, 200" and let the request through).
      expect(lastAuthStatus(gw)).toBe('502');
      expect(authorizer.heads()).toBe(2);
      expect(agent.requests).toHaveLength(1);
    } finally {
      await gw.stop();
      await authorizer.close();
    }
  });
});
