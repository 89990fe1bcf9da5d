#!/usr/bin/env node
import { ConfigError, readConfig } from './config.js';
import { createDevModelServer } from './server.js';

// Thin entry point: read env once, listen, stop cleanly on SIGTERM/SIGINT.
let config: ReturnType<typeof readConfig>;
try {
  config = readConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`dev-model-server: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const dev = createDevModelServer({ tokenDelayMs: config.tokenDelayMs, apiKey: config.apiKey });
try {
  const url = await dev.listen(config.port, config.host);
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      msg: 'dev model server listening',
      url,
      tokenDelayMs: config.tokenDelayMs,
      apiKeyRequired: config.apiKey !== undefined,
    })}\n`,
  );
} catch (error) {
  console.error(
    `dev-model-server: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  );
  process.exit(1);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    dev.close().then(() => process.exit(0));
  });
}
