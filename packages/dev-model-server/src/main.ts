#!/usr/bin/env node
import { drainServer, runService } from '@agentauth/service-runtime';
import { readConfig } from './config.js';
import { createDevModelServer } from './server.js';

// Thin entry point: read env once, listen, drain on SIGTERM/SIGINT.
runService('dev-model-server', readConfig, async (config, logger) => {
  const dev = createDevModelServer({ tokenDelayMs: config.tokenDelayMs, apiKey: config.apiKey });
  const url = await dev.listen(config.port, config.host);
  logger.info(
    {
      url,
      tokenDelayMs: config.tokenDelayMs,
      apiKeyRequired: config.apiKey !== undefined,
    },
    'dev model server listening',
  );
  return () => drainServer(dev.server);
});
