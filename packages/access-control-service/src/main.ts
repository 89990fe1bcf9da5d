#!/usr/bin/env node
import { createTokenVerifier } from '@agentauth/auth-core';
import { drainServer, listen, runService } from '@agentauth/service-runtime';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createServiceServer } from './server.js';

const NAME = 'access-control-service';

runService(NAME, loadConfig, async (config, logger) => {
  if (config.secret.warning) {
    // Loud on purpose: in the log and on stderr, at every start.
    logger.warn({ insecureSecret: true }, config.secret.warning);
    process.stderr.write(`${NAME}: ${config.secret.warning}\n`);
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const verifier = createTokenVerifier({
    key: config.secret.key,
    cacheSize: config.tokenCacheSize,
  });
  const app = createApp({ bodyTimeoutMs: config.bodyTimeoutMs }, { verifier, logger, registry });
  const server = await listen(createServiceServer(app), config);
  const address = server.address();
  logger.info(
    {
      host: config.host,
      port: typeof address === 'object' && address ? address.port : config.port,
      tokenCacheSize: config.tokenCacheSize,
      secretSource: config.secret.source,
    },
    'listening',
  );
  return () => drainServer(server);
});
