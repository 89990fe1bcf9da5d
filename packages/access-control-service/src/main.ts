#!/usr/bin/env node
import { createTokenVerifier } from '@agentauth/auth-core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { ListenError, listen } from './server.js';
import { onShutdownSignals } from './shutdown.js';

let flushLogs = () => {};

// Start-up problems are one sentence on stderr and exit code 1, never a stack trace.
function refuse(error: unknown): never {
  if (error instanceof ConfigError || error instanceof ListenError) {
    flushLogs();
    process.stderr.write(`access-control-service: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const config = await loadConfig(process.env).catch(refuse);
const { logger, flush } = createLogger(config.logLevel);
flushLogs = flush;
if (config.secret.warning) {
  // Loud on purpose: in the log and on stderr, at every start.
  logger.warn({ insecureSecret: true }, config.secret.warning);
  process.stderr.write(`access-control-service: ${config.secret.warning}\n`);
}

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const verifier = createTokenVerifier({ key: config.secret.key, cacheSize: config.tokenCacheSize });
const app = createApp({ bodyTimeoutMs: config.bodyTimeoutMs }, { verifier, logger, registry });
const server = await listen(app, config).catch(refuse);
// Before announcing readiness: the log line is written off-thread and may be read at once.
onShutdownSignals(server, logger, (code) => {
  flush();
  process.exit(code);
});
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
