#!/usr/bin/env node
// `pnpm bench`: what authorization costs, measured against baselines in the same run.
// Prints Markdown tables on stdout, progress on stderr, and writes bench-results/latest.json
// (plus a timestamped copy). See docs/performance.md for the method and the published figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx, GATEWAY_DEFAULTS, NginxNotFoundError } from '@agentauth/nginx';
import { loadHttp } from './load/http-load.js';
import { rotation } from './load/token-rotation.js';
import { machineFacts } from './machine.js';
import { METHOD } from './method.js';
import { type BenchSettings, BenchUsageError, parseBenchArgs, USAGE } from './options.js';
import { type BenchStack, startBenchStack } from './processes/bench-stack.js';
import { createCpuMeter } from './processes/cpu-meter.js';
import { startReplicaStack } from './processes/replica-stack.js';
import { renderReport } from './report.js';
import { BenchResult, RESULT_SCHEMA } from './result.js';
import { round } from './statistics.js';
import { abuseSuite } from './suites/abuse.js';
import { DECIDED_PATH, decisionSuite } from './suites/decision.js';
import { gatewaySuite } from './suites/gateway.js';
import type { HttpTableSettings } from './suites/http-table.js';
import { quotaSuite } from './suites/quota.js';
import { replicaSuite } from './suites/replicas.js';
import { serviceSuite } from './suites/service.js';
import { verificationSuite } from './suites/verification.js';
import { handshakeSuite, socketMemory } from './suites/websocket.js';
import { evaluateAbuseTargets, evaluateTargets, quotaTargets } from './targets.js';
import { benchSecret, signUserTokens } from './tokens.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The services' default `TOKEN_CACHE_SIZE` (docs/contributing.md); the bench leaves it alone. */
const TOKEN_CACHE_SIZE = 10_000;

const log = (line: string) => console.error(`[bench] ${line}`);

function settingsOrExit(): BenchSettings {
  try {
    // `pnpm bench -- --quick` passes the separator through; it is not an option.
    return parseBenchArgs(
      process.argv.slice(2).filter((a) => a !== '--'),
      REPO_ROOT,
    );
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    console.error(`bench: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

function nginxOrExit(): string {
  try {
    return findNginx(process.env);
  } catch (error) {
    if (!(error instanceof NginxNotFoundError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exit(1);
  }
}

const settings = settingsOrExit();
const nginx = nginxOrExit();
const startedAt = new Date();
const facts = machineFacts(REPO_ROOT, nginx);
log(
  `${settings.mode} run: ${settings.suites.join(', ')}; ${facts.cores} cores, load average ${facts.loadAverageStart.map((l) => l.toFixed(2)).join('/')}`,
);

const secret = benchSecret();
log(`signing ${settings.users} tokens (one per user)`);
const manyUsers = await signUserTokens(secret.key, settings.users);
const oneUser = manyUsers.slice(0, 1);
const want = (suite: BenchSettings['suites'][number]) => settings.suites.includes(suite);

let verification: BenchResult['verification'] = [];
if (want('verification')) {
  log('verification: in process');
  verification = await verificationSuite({
    key: secret.key,
    tokens: manyUsers,
    runs: Math.max(settings.runs, 3),
    runMs: settings.verifyMs,
  });
}

const http: BenchResult['http'] = [];
let handshakes: BenchResult['handshakes'] = [];
let memory: BenchResult['socketMemory'] = null;
let abuse: BenchResult['abuse'] = null;
let eventLatency: BenchResult['eventLatency'] = null;
const needsStack = settings.suites.some((s) => s !== 'verification' && s !== 'quota');
const profileDir = settings.profile
  ? join(dirname(settings.out), 'profiles', stamp(startedAt))
  : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });

if (needsStack) {
  log('starting the services, the baselines and two nginx gateways');
  const stack = await startBenchStack({ secret, token: manyUsers[0] as string, profileDir });
  const stop = () => {
    log('interrupted; stopping everything');
    void stack.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // An error thrown inside a load generator callback ends the process without `finally`.
  const killOnExit = () => stack.kill();
  process.once('exit', killOnExit);
  try {
    await prime(stack);
    const table = { ...settings, log, meter: createCpuMeter(stack.meterGroups) };
    if (want('decision')) http.push(...(await decisionSuite(stack, oneUser, manyUsers, table)));
    if (want('gateway')) http.push(...(await gatewaySuite(stack, oneUser, manyUsers, table)));
    if (want('service')) http.push(...(await serviceSuite(stack, oneUser, manyUsers, table)));
    if (want('websocket')) {
      handshakes = await handshakeSuite(stack, oneUser, manyUsers, table);
      log(`websocket: memory with ${settings.sockets} open sockets`);
      memory = await socketMemory(stack, manyUsers, settings.sockets);
      abuse = await abuseSuite(stack, manyUsers, { seconds: settings.seconds, log });
    }
    if (want('replicas')) {
      const replicas = await runReplicaSuite(stack, table);
      http.push(...replicas.http);
      handshakes = [...handshakes, ...replicas.handshakes];
      eventLatency = replicas.eventLatency;
    }
  } finally {
    log('stopping');
    await stack.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('exit', killOnExit);
  }
}

let quota: BenchResult['quota'] = null;
if (want('quota')) {
  // Its own agent-service (limits set by env) after the shared stack is gone, so nothing else runs.
  quota = await quotaSuite(
    secret,
    { noisy: manyUsers[0] as string, quiet: manyUsers[1] as string },
    { seconds: settings.quotaSeconds, samples: settings.quotaSamples, log },
  );
}

const finishedAt = new Date();
const result = BenchResult.parse({
  schema: RESULT_SCHEMA,
  startedAt: startedAt.toISOString(),
  finishedAt: finishedAt.toISOString(),
  wallSeconds: round((finishedAt.getTime() - startedAt.getTime()) / 1000, 1),
  settings: {
    mode: settings.mode,
    seconds: settings.seconds,
    runs: settings.runs,
    warmupSeconds: settings.warmupSeconds,
    connections: settings.connections,
    users: settings.users,
    sockets: settings.sockets,
    verifyMs: settings.verifyMs,
    quotaSeconds: settings.quotaSeconds,
    quotaSamples: settings.quotaSamples,
    suites: settings.suites,
    nginxAuthCacheSeconds: GATEWAY_DEFAULTS.authCacheSeconds,
    tokenCacheSize: TOKEN_CACHE_SIZE,
  },
  machine: { ...facts, loadAverageEnd: loadavg() },
  method: METHOD,
  verification,
  http,
  handshakes,
  socketMemory: memory,
  abuse,
  eventLatency,
  quota,
  targets: [
    ...evaluateTargets(http),
    ...evaluateAbuseTargets(verification, http, abuse),
    ...quotaTargets(quota),
  ],
});

const text = `${JSON.stringify(result, null, 2)}\n`;
mkdirSync(dirname(settings.out), { recursive: true });
writeFileSync(settings.out, text);
const copy = join(dirname(settings.out), `${stamp(startedAt)}-${settings.mode}.json`);
writeFileSync(copy, text);
process.stdout.write(`${renderReport(result)}\n`);
log(`wrote ${settings.out} and ${copy}${profileDir ? `; CPU profiles in ${profileDir}` : ''}`);

/**
 * Every "many users" token verified once by both services before anything is measured, so those
 * rows measure a full cache (the steady state) rather than the first signature checks.
 */
async function prime(stack: BenchStack): Promise<void> {
  log(`priming both services' token caches with ${manyUsers.length} users`);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const shape = { connections: 8, amount: manyUsers.length };
  await loadHttp(
    {
      tokens: rotation(manyUsers),
      name: 'prime access-control-service',
      origin: stack.acs.origin,
      request: (t) => ({ path: `/api/auth${DECIDED_PATH}`, headers: bearer(t) }),
    },
    shape,
  );
  await loadHttp(
    {
      tokens: rotation(manyUsers),
      name: 'prime agent-service',
      origin: stack.agentService.origin,
      request: (t) => ({ path: '/api/agents', headers: bearer(t) }),
    },
    shape,
  );
}

/**
 * PostgreSQL mode next to the SQLite stack: its own cluster, two agent-service replicas and two
 * gateways, metered together with the main stack's processes; stopped before the report.
 */
async function runReplicaSuite(stack: BenchStack, table: HttpTableSettings) {
  log('replicas: starting PostgreSQL, two agent-service replicas and two gateways');
  const replicas = await startReplicaStack({
    secret,
    token: manyUsers[0] as string,
    accessControlService: `127.0.0.1:${stack.acs.port}`,
    llmBaseUrl: stack.llmBaseUrl,
  });
  const killOnExit = () => replicas.kill();
  process.once('exit', killOnExit);
  try {
    const meter = createCpuMeter([...stack.meterGroups, ...replicas.meterGroups]);
    return await replicaSuite(stack, replicas, oneUser, {
      ...table,
      meter,
      latencyRuns: settings.mode === 'quick' ? 5 : 40,
    });
  } finally {
    await replicas.stop();
    process.off('exit', killOnExit);
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}
