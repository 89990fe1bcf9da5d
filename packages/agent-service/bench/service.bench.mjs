// Benchmark: what authentication costs the agent-service, measured in one run.
//   pnpm --filter @agentauth/agent-service bench        (BENCH_SECONDS=5, BENCH_SOCKETS=500 by default)
// - HTTP: autocannon against the unauthenticated healthcheck (baseline), authenticated
//   GET /api/agents (JWT + role check + SQLite read) and GET /api/agents/models (+ a hop to the
//   LLM endpoint), reported as req/s and as a ratio to the baseline;
// - WebSocket: authenticated handshakes per second (upgrade → 101 → snapshot received), and refused
//   handshakes (no token → 401) per second;
// - memory per open authenticated WebSocket (server process, after GC).
// The service runs in a child process (bench/serve.mjs) so the load generator does not share its CPU.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { signToken } from '@agentauth/auth-core';
import { TEST_SECRET } from '@agentauth/auth-core/testing';
import autocannon from 'autocannon';
import WebSocket from 'ws';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const socketCount = Number(process.env.BENCH_SOCKETS ?? 1000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

const child = fork(fileURLToPath(new URL('./serve.mjs', import.meta.url)), {
  execArgv: ['--expose-gc'],
  env: { ...process.env, BENCH_SECRET: TEST_SECRET.toLowerCase() },
});
const messages = [];
const waiters = [];
child.on('message', (m) => {
  const w = waiters.shift();
  if (w) w(m);
  else messages.push(m);
});
const nextMessage = () =>
  new Promise((r) => (messages.length ? r(messages.shift()) : waiters.push(r)));
const ask = async (m) => {
  child.send(m);
  return nextMessage();
};

const { url, agentId } = await nextMessage();
const key = new TextEncoder().encode(TEST_SECRET.toLowerCase());
const token = await signToken(
  { uid: 7, name: 'alice', email: 'a@x', role: 'REGULAR' },
  { key, ttl: '1h' },
);
const auth = { authorization: `Bearer ${token}` };

async function http(title, path, headers) {
  const result = await autocannon({
    url: `${url}${path}`,
    headers,
    connections,
    duration: seconds,
  });
  const bad = result.non2xx + result.errors;
  if (bad > 0) throw new Error(`${title}: ${bad} failed requests`);
  return {
    name: title,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

async function handshakes(title, query, expectOpen) {
  const deadline = Date.now() + seconds * 1000;
  let count = 0;
  const target = `${url.replace('http', 'ws')}/api/agents/${agentId}/react${query}`;
  const one = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(target);
      ws.once('message', () => {
        ws.terminate();
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        res.resume();
        ws.terminate();
        if (expectOpen) reject(new Error(`handshake refused: ${res.statusCode}`));
        else resolve();
      });
      ws.once('error', (e) => (expectOpen ? reject(e) : resolve()));
    });
  const worker = async () => {
    while (Date.now() < deadline) {
      await one();
      count++;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { name: title, rps: Math.round(count / seconds), p50: '', p99: '' };
}

async function openSockets(count) {
  const sockets = [];
  const target = `${url.replace('http', 'ws')}/api/agents/${agentId}/react?access-token=${token}`;
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from(
        { length: Math.min(50, count - i) },
        () =>
          new Promise((resolve, reject) => {
            const ws = new WebSocket(target);
            ws.once('message', () => resolve());
            ws.once('error', reject);
            sockets.push(ws);
          }),
      ),
    );
  }
  return sockets;
}

async function memoryPerSocket() {
  // One round open and closed first, so the baseline already holds the one-off growth.
  for (const ws of await openSockets(socketCount)) ws.terminate();
  await new Promise((r) => setTimeout(r, 500));
  const before = (await ask('memory')).memory;
  const sockets = await openSockets(socketCount);
  const after = (await ask('memory')).memory;
  for (const ws of sockets) ws.terminate();
  if (after.sockets < socketCount) throw new Error(`only ${after.sockets} sockets open`);
  return {
    sockets: socketCount,
    heapBytesPerSocket: Math.round((after.heapUsed - before.heapUsed) / socketCount),
    externalBytesPerSocket: Math.round((after.external - before.external) / socketCount),
  };
}

// Warm up (JIT, verifier cache, SQLite page cache).
await autocannon({ url: `${url}/api/agents`, headers: auth, connections: 4, amount: 2000 });

const rows = [];
rows.push(await http('GET /api/healthcheck (no auth)', '/api/healthcheck', {}));
rows.push(await http('GET /api/agents (JWT)', '/api/agents', auth));
rows.push(await http('GET /api/agents/models (JWT + LLM hop)', '/api/agents/models', auth));
rows.push(await handshakes('WS handshake + snapshot (JWT)', `?access-token=${token}`, true));
rows.push(await handshakes('WS handshake refused (no token, 401)', '', false));
const memory = await memoryPerSocket();

const kib = (bytes) => (bytes / 1024).toFixed(1);
const base = rows[0].rps;
const table = [
  ['test', 'req/s', 'vs healthcheck', 'p50 ms', 'p99 ms'],
  ...rows.map((r) => [
    r.name,
    String(r.rps),
    (r.rps / base).toFixed(2),
    String(r.p50),
    String(r.p99),
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) =>
  `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
const out = [
  line(table[0]),
  `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`,
  ...table.slice(1).map(line),
  '',
  `memory per open authenticated WebSocket (server process, after GC, ${memory.sockets} sockets): ` +
    `JS heap ${kib(memory.heapBytesPerSocket)} KiB + external ${kib(memory.externalBytesPerSocket)} KiB`,
  `(${cpus().length} CPUs, Node ${process.version}, ${seconds} s per test, ${connections} HTTP connections, 8 WebSocket clients)`,
  '',
  JSON.stringify({
    node: process.version,
    cpus: cpus().length,
    seconds,
    connections,
    results: rows,
    ratioToHealthcheck: Object.fromEntries(
      rows.map((r) => [r.name, Number((r.rps / base).toFixed(3))]),
    ),
    memory,
  }),
  '',
];
process.stdout.write(out.join('\n'));

const exited = new Promise((resolve) => child.once('exit', resolve));
child.send('stop');
await exited;
