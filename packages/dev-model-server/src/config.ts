import {
  ConfigError,
  duration,
  envVar,
  type LogLevel,
  parseEnv,
  serviceEnv,
} from '@agentauth/service-runtime';
import { z } from 'zod';

export { ConfigError };

export interface DevModelConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** Pause before each streamed token, in milliseconds. */
  readonly tokenDelayMs: number;
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string | undefined;
}

/** The variables the server reads (docs table: README). */
export const EnvSchema = z.object({
  ...serviceEnv('dev-model-server'),
  DEV_MODEL_DELAY_MS: envVar(
    duration('DEV_MODEL_DELAY_MS', 0, 10_000),
    { description: 'pause before each streamed token (0–10000)' },
    15,
  ),
  DEV_MODEL_API_KEY: envVar(z.string(), {
    description:
      'when set, `/v1/*` requires `Authorization: Bearer <key>` (give the agent-service the same `LLM_API_KEY`)',
  }),
});

/**
 * Reads the server's environment once (empty = unset); a bad value throws a ConfigError naming
 * the variable.
 * @example readConfig({ PORT: '4000' }) // { port: 4000, host: '127.0.0.1', logLevel: 'info', tokenDelayMs: 15, apiKey: undefined }
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): DevModelConfig {
  const values = parseEnv(EnvSchema, env);
  return {
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    tokenDelayMs: values.DEV_MODEL_DELAY_MS,
    apiKey: values.DEV_MODEL_API_KEY,
  };
}
