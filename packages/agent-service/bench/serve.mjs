// The service under benchmark, in its own process (so the load generator does not share its CPU):
// the built agent-service on a temporary SQLite file, with an in-process dev model server.
// Talks to the parent over IPC: sends { ready, url }, answers 'memory' with gc'd memory figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier } from '@agentauth/auth-core';
import { createDevModelServer } from '@agentauth/dev-model-server';
import { pino } from 'pino';
import { createApp, createOpenAiClient, openSqliteStore } from '../dist/index.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-service-bench-'));
const dev = createDevModelServer({ tokenDelayMs: 0 });
const llmUrl = `${await dev.listen(0)}/v1`;
const { store } = openSqliteStore(join(dir, 'agents.db'));
for (let i = 0; i < 10; i++) {
  store.createAgent({
    name: `agent ${i}`,
    modelType: 'dev-model',
    ownerUid: 7,
    settings: { maxSteps: 8, temperature: 0.2, systemPrompt: 'bench', tools: ['calculator'] },
  });
}
const service = createApp(
  { corsOrigins: [], wsMaxPayload: 65_536 },
  {
    verifier: createTokenVerifier({ key: new TextEncoder().encode(process.env.BENCH_SECRET) }),
    store,
    llm: createOpenAiClient({ baseUrl: llmUrl }),
    // Logging is part of the real cost of a request: keep it, but send it nowhere.
    logger: pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false })),
  },
);
const url = await service.listen(0, '127.0.0.1');

const memory = () => {
  global.gc?.();
  global.gc?.();
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    external: m.external,
    sockets: service.wss.clients.size,
  };
};

process.on('message', async (message) => {
  if (message === 'memory') process.send({ memory: memory() });
  if (message === 'stop') {
    await service.close();
    store.close();
    await dev.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send({ ready: true, url, agentId: store.listAgents()[0].id });
