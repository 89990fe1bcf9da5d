#!/usr/bin/env node
import { createServer } from 'node:http';
import { createTokenVerifier } from '@agentauth/auth-core';
import { drainServer, listen, runService, SHUTDOWN_TIMEOUT_MS } from '@agentauth/service-runtime';
import { collectDefaultMetrics } from 'prom-client';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createOpenAiClient } from './llm/openai-client.js';
import { createMetrics, metricsListener } from './metrics.js';
import { StoreOpenError } from './store/agent-store.js';
import { openStorage } from './store/open-storage.js';

const NAME = 'agent-service';

// Thin entry point: validate env once, build deps, listen. SIGTERM (a rolling update) drains:
// runs finish within AGENT_RUN_GRACE_MS, sockets move on with 1012. SIGINT (Ctrl-C) stops at once.
runService(
  NAME,
  loadConfig,
  async (config, logger) => {
    if (config.secret.warning) logger.warn(config.secret.warning);

    // SQLite at AGENT_DB_PATH, or PostgreSQL (migrated under a lock) at AGENT_DATABASE_URL.
    const { store, coordinator, usage } = await openStorage(config, logger);

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
      usage,
      coordinator,
    });
    // Events of other replicas must reach this one before it takes a socket.
    await coordinator.ready();
    const url = await service.listen(config.port, config.host);
    logger.info(
      {
        url,
        llmBaseUrl: config.llm.baseUrl,
        corsOrigins: config.corsOrigins,
        wsMaxPayload: config.wsMaxPayload,
        socketLimits: config.socketLimits,
        accessPolicy: config.accessPolicy,
        limits: config.limits,
        maxTokens: config.llm.maxTokens,
        modelAllowList: config.llm.modelAllowList,
        store: config.databaseUrl === undefined ? 'sqlite' : 'postgresql',
      },
      'agent-service listening',
    );
    return async (signal) => {
      let finished: boolean;
      if (signal === 'SIGTERM') {
        const drained = await service.drain(config.runs.graceMs);
        logger.info(drained, 'runs drained');
        finished = drained.drained;
      } else {
        finished = await service.close();
      }
      if (metricsServer) await drainServer(metricsServer, 1_000);
      await usage.close();
      await coordinator.close();
      await store.close();
      return finished;
    };
  },
  [StoreOpenError],
  // The drain waits up to the run grace period, then for HTTP requests as every service does.
  { shutdownTimeoutMs: (config) => config.runs.graceMs + SHUTDOWN_TIMEOUT_MS },
);
