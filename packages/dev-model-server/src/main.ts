#!/usr/bin/env node
import {
  createLogger,
  drainServer,
  listen,
  onShutdownSignals,
  runMain,
  urlOf,
} from '@agentauth/service-runtime';
import { readConfig } from './config.js';
import { createDevModelServer } from './server.js';

const NAME = 'dev-model-server';

// Thin entry point: read env once, listen, drain on SIGTERM/SIGINT.
runMain(NAME, async () => {
  const config = readConfig(process.env);
  const { logger } = createLogger(NAME, config.logLevel);
  const dev = createDevModelServer({ tokenDelayMs: config.tokenDelayMs, apiKey: config.apiKey });
  const server = await listen(dev.server, config);
  onShutdownSignals(logger, () => drainServer(server));
  logger.info(
    {
      url: urlOf(server),
      tokenDelayMs: config.tokenDelayMs,
      apiKeyRequired: config.apiKey !== undefined,
    },
    'dev model server listening',
  );
});
