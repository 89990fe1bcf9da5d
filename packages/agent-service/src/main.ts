#!/usr/bin/env node
import { createServer } from 'node:http';
import { createTokenVerifier } from '@agentauth/auth-core';
import { pino } from 'pino';
import { collectDefaultMetrics } from 'prom-client';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createOpenAiClient } from './llm/openai-client.js';
import { createMetrics } from './metrics.js';
import { StoreOpenError } from './store/agent-store.js';
import { openSqliteStore } from './store/sqlite-store.js';

// Thin entry point: validate env once, build deps, listen; SIGTERM/SIGINT → graceful shutdown.
function die(message: string): never {
  console.error(`agent-service: ${message}`);
  process.exit(1);
}

const config = await loadConfig(process.env).catch((error: unknown) => {
  if (error instanceof ConfigError) die(error.message);
  throw error;
});
const logger = pino({ level: config.logLevel, base: { service: 'agent-service' } });
if (config.secret.warning) logger.warn(config.secret.warning);

let opened: ReturnType<typeof openSqliteStore>;
try {
  opened = openSqliteStore(config.dbPath);
} catch (error) {
  if (error instanceof StoreOpenError) die(error.message);
  throw error;
}
const { store, info } = opened;
logger.info(info, info.created ? 'created a new agent database' : 'opened the agent database');

const metrics = createMetrics();
collectDefaultMetrics({ register: metrics.registry });
const service = createApp(config, {
  verifier: createTokenVerifier({ key: config.secret.key }),
  store,
  llm: createOpenAiClient({
    baseUrl: config.llm.baseUrl,
    apiKey: config.llm.apiKey,
    timeoutMs: config.llm.timeoutMs,
  }),
  logger,
  metrics,
});

const url = await service
  .listen(config.port, config.host)
  .catch((error: Error) =>
    die(`cannot listen on ${config.host}:${config.port} (${error.message}).`),
  );
logger.info(
  {
    url,
    llmBaseUrl: config.llm.baseUrl,
    corsOrigins: config.corsOrigins,
    wsMaxPayload: config.wsMaxPayload,
    socketLimits: config.socketLimits,
  },
  'agent-service listening',
);

const metricsServer =
  config.metricsPort === undefined
    ? undefined
    : createServer((req, res) => {
        if (req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        metrics.registry.metrics().then((text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
        });
      }).listen(config.metricsPort, config.host);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    metricsServer?.close();
    service
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
