import type { BenchResult, HttpRow } from './result.js';

/**
 * A Markdown table (what the terminal shows and what docs/performance.md quotes).
 * @example markdownTable(['a', 'b'], [[1, 2]]) // '| a | b |\n|---|---|\n| 1 | 2 |'
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...cells.slice(1).map(line)].join('\n');
}

const num = (n: number) => n.toLocaleString('en-US');
const ms = (n: number | null) => (n === null || Number.isNaN(n) ? '—' : n.toFixed(3));
const ratio = (n: number | undefined) => (n === undefined ? '—' : `${n.toFixed(2)}×`);
const GROUPS = ['client', 'nginx', 'acs', 'agent', 'agent-pg', 'postgres', 'hello'];

/**
 * CPU per operation by process group, largest consumers named, e.g. `client 21 · acs 30`.
 * @example cpuCell({ acs: 30.2, client: 21 }) // 'client 21 · acs 30'
 */
export function cpuCell(cpu: Readonly<Record<string, number>>): string {
  const names = Object.keys(cpu).sort((a, b) => GROUPS.indexOf(a) - GROUPS.indexOf(b));
  const shown = names.filter((n) => (cpu[n] ?? 0) >= 0.5);
  return shown.length === 0 ? '—' : shown.map((n) => `${n} ${Math.round(cpu[n] ?? 0)}`).join(' · ');
}

function httpSection(title: string, rows: readonly HttpRow[], baselines: readonly string[]) {
  if (rows.length === 0) return '';
  const showAdded = rows.some((r) => r.suite === 'gateway');
  const header = [
    'target',
    'conns',
    'req/s',
    ...baselines.map((b) => `× ${b}`),
    'p50 ms',
    'p99 ms',
    ...(showAdded ? ['+p50 ms'] : []),
    'CPU µs/req',
  ];
  const ordered = [...rows].sort(
    (a, b) => order(rows, a) - order(rows, b) || a.connections - b.connections,
  );
  const body = ordered.map((r) => [
    r.name,
    r.connections,
    num(r.rps),
    ...baselines.map((b) => ratio(r.vs[b])),
    ms(r.p50Ms),
    ms(r.p99Ms),
    ...(showAdded ? [ms(r.addedP50Ms)] : []),
    cpuCell(r.cpuUsPerRequest),
  ]);
  return `### ${title}\n\n${markdownTable(header, body)}\n`;
}

function order(rows: readonly HttpRow[], row: HttpRow): number {
  return rows.findIndex((r) => r.id === row.id);
}

/**
 * The human-readable report of a result: every table, the targets with met/missed, and the
 * machine it ran on.
 * @example process.stdout.write(renderReport(result))
 */
export function renderReport(result: BenchResult): string {
  const parts: string[] = [];
  const m = result.machine;
  parts.push(
    `## agentauth benchmark (${result.settings.mode}, ${result.wallSeconds.toFixed(0)} s)\n\n` +
      `${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${m.os}; ` +
      `node ${m.node}, nginx ${m.nginx}, autocannon ${m.autocannon}; nginx prefixes in ${m.tmpFilesystem}; ` +
      `commit ${m.gitCommit.slice(0, 12)}${m.gitDirty ? ' (+ uncommitted changes)' : ''}; ` +
      `load average ${m.loadAverageStart.map((l) => l.toFixed(2)).join('/')} at start, ` +
      `${m.loadAverageEnd.map((l) => l.toFixed(2)).join('/')} at end.\n` +
      `${result.settings.runs} run(s) of ${result.settings.seconds} s per figure (median), ` +
      `${result.settings.warmupSeconds} s warm-up; load generator on the same cores. ` +
      'CPU µs/req: on-CPU time per request of each process group (client = the load generator).\n',
  );
  if (result.verification.length > 0) {
    parts.push(
      `### Token verification (in process)\n\n${markdownTable(
        ['measure', 'users', 'in flight', 'verifications/s', '× raw HMAC'],
        result.verification.map((r) => [
          r.name,
          r.users,
          r.inFlight,
          num(r.opsPerSec),
          ratio(r.vsRawHmac),
        ]),
      )}\n`,
    );
  }
  const suite = (s: HttpRow['suite']) => result.http.filter((r) => r.suite === s);
  parts.push(
    httpSection('Decision endpoint (access-control-service)', suite('decision'), [
      'express-hello',
      'node-hello',
    ]),
  );
  parts.push(
    httpSection('Through the gateway (nginx)', suite('gateway'), ['control', 'control-many']),
  );
  parts.push(httpSection('In the service (agent-service)', suite('service'), ['healthcheck']));
  parts.push(
    httpSection('PostgreSQL and replicas (agent-service)', suite('replicas'), [
      'sqlite',
      'gateway-one-replica',
    ]),
  );
  if (result.handshakes.length > 0) {
    const order = (id: string) => result.handshakes.findIndex((r) => r.id === id);
    const rows = [...result.handshakes].sort(
      (a, b) => order(a.id) - order(b.id) || a.concurrency - b.concurrency,
    );
    parts.push(
      `### WebSocket handshakes\n\n${markdownTable(
        [
          'target',
          'concurrency',
          'handshakes/s',
          '× bare ws',
          '× SQLite',
          'p50 ms',
          'CPU µs/handshake',
        ],
        rows.map((r) => [
          r.name,
          r.concurrency,
          num(r.perSec),
          ratio(r.vs['ws-hello']),
          ratio(r.vs['agent-ws-sqlite']),
          ms(r.p50Ms),
          cpuCell(r.cpuUsPerHandshake),
        ]),
      )}\n`,
    );
  }
  const mem = result.socketMemory;
  if (mem) {
    const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    parts.push(
      `### Memory per open authenticated WebSocket (agent-service, after GC, ${mem.sockets} sockets)\n\n` +
        `JS heap ${kib(mem.heapBytesPerSocket)} + external ${kib(mem.externalBytesPerSocket)}; ` +
        `RSS ${kib(mem.rssBytesPerSocket)} (RSS includes allocator slack).\n`,
    );
  }
  const abuse = result.abuse;
  if (abuse) {
    const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    parts.push(
      `### Abuse on a full-history agent (500 steps of 16,000 characters)\n\n${markdownTable(
        ['figure', 'value'],
        [
          ['healthcheck p50, idle', ms(abuse.healthIdleP50Ms)],
          [
            `healthcheck p50, storm from many users, caps lifted (${abuse.stormUpgrades} upgrades in ${abuse.stormSeconds} s)`,
            ms(abuse.healthStormP50Ms),
          ],
          ['  vs idle', ratio(abuse.stormVsIdle)],
          ['healthcheck p50, idle (default caps)', ms(abuse.oneUserIdleP50Ms)],
          [
            `healthcheck p50, storm from one user, default caps (${abuse.oneUserUpgrades} upgrades, ${abuse.oneUserRefused} refused with 429)`,
            ms(abuse.oneUserStormP50Ms),
          ],
          ['  vs idle', ratio(abuse.oneUserStormVsIdle)],
          ['storm traffic', `${(abuse.stormBytesPerSecond / 2 ** 20).toFixed(1)} MiB/s`],
          ['largest snapshot one upgrade delivered', kib(abuse.largestUpgradeBytes)],
          [
            `per socket that never reads (${abuse.idleSockets} sockets): RSS / heap / external`,
            `${kib(abuse.idleRssBytesPerSocket)} / ${kib(abuse.idleHeapBytesPerSocket)} / ${kib(abuse.idleExternalBytesPerSocket)}`,
          ],
        ],
      )}\n`,
    );
  }
  const q = result.quota;
  if (q) {
    parts.push(
      `### Per-user limits: one user with ${q.agents} agents prompting while another chats

${markdownTable(
  ['measure', 'value'],
  [
    ['USER_MAX_CONCURRENT_RUNS', q.concurrentRunsLimit],
    ['one LLM call, idle', ms(q.idleCallMs)],
    ['limit as LLM calls/s (runs ÷ idle call)', q.limitCallsPerSec.toFixed(2)],
    [`noisy user's LLM calls/s over ${q.windowSeconds} s`, q.noisyCallsPerSec.toFixed(2)],
    ['× the limit', ratio(q.noisyVsLimit)],
    ['refusals (ERR_RATE_LIMITED) the noisy user got', q.refusals],
    [`quiet user's time to first token, idle (median of ${q.samples.idle})`, ms(q.idleTtftMs)],
    [`… while the noisy user runs (median of ${q.samples.loaded})`, ms(q.loadedTtftMs)],
    ['× idle', ratio(q.ttftLoadedVsIdle)],
  ],
)}
`,
    );
  }
  const latency = result.eventLatency;
  if (latency) {
    parts.push(
      `### Cross-replica event latency (PostgreSQL LISTEN/NOTIFY, ${latency.runs} runs)\n\n${markdownTable(
        ['events', 'count', 'p50 ms', 'p99 ms'],
        [
          ['completed steps and status', latency.events, ms(latency.p50Ms), ms(latency.p99Ms)],
          [
            'first text of each turn',
            latency.deltas,
            ms(latency.deltaP50Ms),
            ms(latency.deltaP99Ms),
          ],
        ],
      )}\n\nFrom the socket on the replica running the run to a socket on the other replica, same clock.\n`,
    );
  }
  if (result.targets.length > 0) {
    parts.push(
      `### Targets (reported, not asserted)\n\n${markdownTable(
        ['target', 'value', 'goal', 'result', 'from'],
        result.targets.map((t) => [
          t.description,
          t.value === null ? '—' : t.value.toFixed(3),
          `${t.comparison} ${t.threshold}`,
          t.met === null ? 'not measured' : t.met ? 'met' : '**missed**',
          t.basis,
        ]),
      )}\n`,
    );
  }
  return `${parts.filter(Boolean).join('\n')}`;
}
