import { z } from 'zod';

/** A configuration problem, in one sentence that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface DevModelConfig {
  readonly port: number;
  readonly host: string;
  /** Pause before each streamed token, in milliseconds. */
  readonly tokenDelayMs: number;
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. */
  readonly apiKey: string | undefined;
}

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DEV_MODEL_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(15),
  DEV_MODEL_API_KEY: z.string().optional(),
});

/**
 * Reads the server's environment once; a bad value throws a ConfigError naming the variable.
 * @example readConfig({ PORT: '4000' }) // { port: 4000, host: '127.0.0.1', tokenDelayMs: 15, apiKey: undefined }
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): DevModelConfig {
  const result = Env.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name} is invalid: ${issue?.message ?? 'bad value'}.`);
  }
  const { PORT, HOST, DEV_MODEL_DELAY_MS, DEV_MODEL_API_KEY } = result.data;
  return {
    port: PORT,
    host: HOST,
    tokenDelayMs: DEV_MODEL_DELAY_MS,
    apiKey: DEV_MODEL_API_KEY === '' ? undefined : DEV_MODEL_API_KEY,
  };
}
