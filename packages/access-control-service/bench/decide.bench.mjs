// Decision throughput of the authorize endpoint against bare "hello" servers, measured in one run.
// The figure is the ratio to a bare express hello (issue 9 wants >= 0.9 with a cached token), never
// an absolute number: the machine, not the code, sets those.
//
// Run: pnpm --filter @agentauth/access-control-service bench  (needs `pnpm build` first)
// Options: --duration <s per run> --runs <n> --connections <n> --warmup <s>
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    runs: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '2' },
  },
});
const duration = Number(args.duration);
const runs = Number(args.runs);
const connections = Number(args.connections);
const warmup = Number(args.warmup);

async function start(name) {
  const child = spawn(
    process.execPath,
    [new URL('./servers.mjs', import.meta.url).pathname, name],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = await once(createInterface({ input: child.stdout }), 'line');
  return { child, ...JSON.parse(line) };
}

const nodeHello = await start('node-hello');
const expressHello = await start('express-hello');
const service = await start('access-control');

const targets = [
  { name: 'node:http hello', url: `http://127.0.0.1:${nodeHello.port}/` },
  { name: 'express hello', url: `http://127.0.0.1:${expressHello.port}/` },
  {
    name: 'authorize, Envoy shape',
    url: `http://127.0.0.1:${service.port}/api/auth/api/agents/42/settings`,
    method: 'PATCH',
    headers: { authorization: `Bearer ${service.token}` },
  },
  {
    name: 'authorize, nginx shape',
    url: `http://127.0.0.1:${service.port}/api/auth`,
    headers: {
      'x-original-uri': `/api/agents/42/react?access-token=${service.token}`,
      'x-original-method': 'GET',
    },
  },
];

function load(target, seconds) {
  return autocannon({
    url: target.url,
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    connections,
    duration: seconds,
  });
}

const samples = new Map(targets.map((t) => [t.name, []]));
try {
  for (const target of targets) {
    const result = await load(target, warmup); // warm-up: JIT, token cache, connection pools
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
  }
  // Interleave runs so drift (thermal, other load) hits every target alike.
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + run) % targets.length];
      const result = await load(target, duration);
      if (result.non2xx > 0 || result.errors > 0) {
        throw new Error(
          `${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`,
        );
      }
      samples.get(target.name).push({ rps: result.requests.average, p99: result.latency.p99 });
    }
  }
} finally {
  for (const s of [nodeHello, expressHello, service]) s.child.kill();
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const medians = targets.map((t) => {
  const s = samples.get(t.name);
  return {
    name: t.name,
    reqPerSec: Math.round(median(s.map((x) => x.rps))),
    p99Ms: median(s.map((x) => x.p99)),
    runs: s.map((x) => Math.round(x.rps)),
  };
});
const express = medians.find((m) => m.name === 'express hello').reqPerSec;
const node = medians.find((m) => m.name === 'node:http hello').reqPerSec;
const rows = medians.map((m) => ({
  ...m,
  vsExpressHello: +(m.reqPerSec / express).toFixed(3),
  vsNodeHello: +(m.reqPerSec / node).toFixed(3),
}));

// biome-ignore lint/suspicious/noConsole: a benchmark prints its table for people
console.table(rows.map(({ runs: _runs, ...r }) => r));
process.stdout.write(
  `${JSON.stringify({
    bench: 'access-control-service/decide',
    node: process.version,
    connections,
    durationSeconds: duration,
    runs,
    rows,
  })}\n`,
);
