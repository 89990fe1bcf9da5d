#!/usr/bin/env node
import { createServer } from 'node:http';
import { createTokenVerifier } from '@agentauth/auth-core';
import { drainServer, listen, runService } from '@agentauth/service-runtime';
import { collectDefaultMetrics } from 'prom-client';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createOpenAiClient } from './llm/openai-client.js';
import { createMetrics, metricsListener } from './metrics.js';
import { StoreOpenError } from './store/agent-store.js';
import { openSqliteStore } from './store/sqlite-store.js';

const NAME = 'agent-service';

// Thin entry point: validate env once, build deps, listen; SIGTERM/SIGINT → bounded drain.
runService(
  NAME,
  loadConfig,
  async (config, logger) => {
    if (config.secret.warning) logger.warn(config.secret.warning);

    const { store, info } = openSqliteStore(config.dbPath);
    logger.info(info, info.created ? 'created a new agent database' : 'opened the agent database');

    const metrics = createMetrics();
    collectDefaultMetrics({ register: metrics.registry });
    // Bound before the service, so a taken METRICS_PORT is one sentence, not a half-started service.
    const metricsServer =
      config.metricsPort === undefined
        ? undefined
        : await listen(createServer(metricsListener(metrics)), {
            port: config.metricsPort,
            host: config.host,
            portVariable: 'METRICS_PORT',
          });
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
    const url = await service.listen(config.port, config.host);
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
    return async () => {
      const finished = await service.close();
      if (metricsServer) await drainServer(metricsServer, 1_000);
      store.close();
      return finished;
    };
  },
  [StoreOpenError],
);
