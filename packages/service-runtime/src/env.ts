import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** What an environment-variable schema documents about itself (rendered by `envTable`). */
export interface EnvMeta {
  /** What the variable sets, a short phrase for the docs' table. */
  readonly description: string;
  /** The value used when the variable is unset or empty, as the docs show it. */
  readonly default?: string | number | undefined;
}

/** The log levels `LOG_LEVEL` accepts (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// An empty variable counts as unset, as in most container tooling (`FOO=` in a chart or shell).
const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * An optional variable: empty or unset gives `fallback` (or `undefined` without one).
 * The metadata feeds the docs' env tables (see `envTable`).
 * @example envVar(z.string(), { description: 'bind address', default: '127.0.0.1' }, '127.0.0.1')
 */
export function envVar<T extends z.ZodType>(
  schema: T,
  meta: EnvMeta,
): z.ZodType<z.output<T> | undefined, string | undefined>;
export function envVar<T extends z.ZodType>(
  schema: T,
  meta: EnvMeta,
  fallback: z.output<T>,
): z.ZodType<z.output<T>, string | undefined>;
export function envVar<T extends z.ZodType>(
  schema: T,
  meta: EnvMeta,
  fallback?: z.output<T>,
): z.ZodType {
  const shown = meta.default ?? (fallback === undefined ? undefined : String(fallback));
  return z
    .preprocess(unsetWhenEmpty, schema.optional())
    .transform((value) => value ?? fallback)
    .meta({ description: meta.description, ...(shown === undefined ? {} : { default: shown }) });
}

/**
 * A variable that must be set (and not empty); `missing` is the sentence when it is not.
 * @example requiredVar(httpUrl('LLM_BASE_URL', 'http://127.0.0.1:4000/v1'), { description: 'LLM API root' }, 'LLM_BASE_URL is required.')
 */
export function requiredVar<T extends z.ZodType<unknown, string>>(
  schema: T,
  meta: EnvMeta,
  missing: string,
): z.ZodType<z.output<T>, string | undefined> {
  return z
    .preprocess(unsetWhenEmpty, z.string({ error: missing }).pipe(schema))
    .meta({ description: meta.description, default: meta.default ?? 'required' }) as z.ZodType<
    z.output<T>,
    string | undefined
  >;
}

/**
 * A whole number in `[min, max]`, with one message naming the variable.
 * @example integer('TOKEN_CACHE_SIZE', 0, 10_000_000)
 */
export function integer(name: string, min: number, max: number, unit = '') {
  const message = `${name} must be a whole number${unit ? ` of ${unit}` : ''} between ${min} and ${max}.`;
  return z
    .string()
    .regex(/^\d+$/, { error: message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: message });
}

/**
 * A TCP port (0 = any free port when `min` is 0).
 * @example port('METRICS_PORT')
 */
export const port = (name: string, min = 0) => integer(name, min, 65_535).describe('port');

/**
 * A duration in whole milliseconds within `[min, max]`.
 * @example duration('LLM_TIMEOUT_MS', 1000, 3_600_000)
 */
export const duration = (name: string, min: number, max: number) =>
  integer(name, min, max, 'milliseconds');

/**
 * One of pino's log levels.
 * @example logLevel('LOG_LEVEL')
 */
export const logLevel = (name: string) =>
  z.enum(LOG_LEVELS, { error: `${name} must be one of ${LOG_LEVELS.join(', ')}.` });

/**
 * A host name or an IP address to bind (no spaces, no slashes).
 * @example host('HOST')
 */
export const host = (name: string) =>
  z.string().regex(/^[^\s/]+$/, { error: `${name} must be a host name or an IP address.` });

/**
 * An http(s) URL.
 * @example httpUrl('LLM_BASE_URL', 'the OpenAI-compatible API root')
 */
export const httpUrl = (name: string, example: string) =>
  z.string().refine((v) => /^https?:$/.test(protocolOf(v)), {
    error: `${name} must be an http(s) URL such as ${example}.`,
  });

function protocolOf(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

/**
 * Validates `env` against an object of variables; the first problem becomes a ConfigError whose
 * message is the schema's sentence (every helper here names its variable).
 * @example const values = parseEnv(Env, process.env)
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'The environment');
  const message = issue?.message ?? 'is not valid';
  throw new ConfigError(message.startsWith(name) ? message : `${name} is not valid: ${message}.`);
}
