import { randomBytes } from 'node:crypto';
import { AuthConfSyntaxError, readAuthConf } from './auth-conf.js';
import { secretKey } from './secret-key.js';

/** The platform's published default secret: anyone can mint tokens with it. */
export const PUBLIC_DEFAULT_SECRET = '8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d';
/** Shortest secret accepted without the insecure-development switch. */
export const MIN_SECRET_LENGTH = 32;
/** The key inside auth.conf that holds the secret. */
export const AUTH_CONF_SECRET_KEY = 'auth.jwt.256-bit-secret';

/** Environment variables read when resolving the secret. */
export const SECRET_ENV = {
  secret: 'AUTH_JWT_SECRET',
  confPath: 'AUTH_CONF_PATH',
  insecureDev: 'AGENTAUTH_INSECURE_DEV_SECRET',
} as const;

/** A resolved, validated signing secret. `toString()` and JSON never reveal it. */
export interface JwtSecret {
  /** HMAC key: UTF-8 bytes of the lower-cased secret, as the platform's issuer keys it. */
  readonly key: Uint8Array;
  readonly source: 'env' | 'auth.conf' | 'random';
  /** True when the insecure-development switch let a weak secret through. */
  readonly insecure: boolean;
  /** A sentence to log loudly at every start when `insecure` is true. */
  readonly warning: string | undefined;
}

/** A configuration problem, described in one sentence that names the variable to fix. */
export class SecretConfigError extends Error {
  override readonly name = 'SecretConfigError';
}

export interface LoadSecretDeps {
  readonly readFile?: (path: string) => Promise<string>;
}

/**
 * Resolves the JWT secret the way every service does: env `AUTH_JWT_SECRET`, else key
 * `auth.jwt.256-bit-secret` of the auth.conf at `AUTH_CONF_PATH`. Refuses the public default,
 * `random`, empty and short secrets unless `AGENTAUTH_INSECURE_DEV_SECRET=true`.
 * @example const secret = await loadSecret(process.env); createTokenVerifier({ key: secret.key })
 */
export async function loadSecret(
  env: Readonly<Record<string, string | undefined>>,
  deps: LoadSecretDeps = {},
): Promise<JwtSecret> {
  const insecure = readInsecureSwitch(env[SECRET_ENV.insecureDev]);
  const fromEnv = env[SECRET_ENV.secret];
  let raw: string;
  let source: JwtSecret['source'];
  if (fromEnv !== undefined) {
    raw = fromEnv;
    source = 'env';
  } else if (env[SECRET_ENV.confPath]) {
    raw = await readSecretFromConf(env[SECRET_ENV.confPath] as string, env, deps);
    source = 'auth.conf';
  } else {
    throw new SecretConfigError(
      `No JWT secret is configured: set ${SECRET_ENV.secret}, or ${SECRET_ENV.confPath} to an auth.conf that sets ${AUTH_CONF_SECRET_KEY}.`,
    );
  }

  const where =
    source === 'env' ? SECRET_ENV.secret : `${AUTH_CONF_SECRET_KEY} in ${SECRET_ENV.confPath}`;
  // Java and JavaScript lower-case some letters differently (final sigma; dotted capital I under
  // a Turkish JVM locale), so the platform's issuer could derive another key. Never allowed.
  if (NON_ASCII.test(raw)) {
    throw new SecretConfigError(
      `The JWT secret from ${where} contains non-ASCII characters, which the platform's issuer may lower-case into a different key; set an ASCII secret of at least ${MIN_SECRET_LENGTH} characters.`,
    );
  }
  const secret = raw.toLowerCase();
  const problem = weakness(secret);
  if (problem === 'empty') {
    throw new SecretConfigError(
      `The JWT secret from ${where} is empty; set a random secret of at least ${MIN_SECRET_LENGTH} characters.`,
    );
  }
  if (problem && !insecure) {
    throw new SecretConfigError(
      `The JWT secret from ${where} ${DESCRIBE[problem]}; set a random secret of at least ${MIN_SECRET_LENGTH} characters (or ${SECRET_ENV.insecureDev}=true for local development only).`,
    );
  }
  if (problem === 'random') {
    // The platform's `random` mode: a fresh secret per process, only under the switch.
    return makeSecret(randomBytes(32).toString('hex'), 'random', true, warningFor(problem, where));
  }
  return makeSecret(
    secret,
    source,
    Boolean(problem),
    problem ? warningFor(problem, where) : undefined,
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL.
const NON_ASCII = /[^\x00-\x7f]/;

type Weakness = 'empty' | 'public-default' | 'random' | 'short';

const DESCRIBE: Record<Exclude<Weakness, 'empty'>, string> = {
  'public-default': "is the platform's public default, so anyone could sign tokens",
  random: 'is "random", which gives every process a different secret',
  short: `is shorter than ${MIN_SECRET_LENGTH} characters`,
};

function weakness(secret: string): Weakness | undefined {
  if (secret.trim().length === 0) return 'empty';
  if (secret === PUBLIC_DEFAULT_SECRET) return 'public-default';
  if (secret === 'random') return 'random';
  if (secret.length < MIN_SECRET_LENGTH) return 'short';
  return undefined;
}

function warningFor(problem: Exclude<Weakness, 'empty'>, where: string): string {
  return `INSECURE: ${SECRET_ENV.insecureDev} is set and the JWT secret from ${where} ${DESCRIBE[problem]}. Never run this way outside local development.`;
}

function readInsecureSwitch(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new SecretConfigError(`${SECRET_ENV.insecureDev} must be "true" or "false".`);
}

async function readSecretFromConf(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
  deps: LoadSecretDeps,
): Promise<string> {
  const readFile =
    deps.readFile ?? (async (p: string) => (await import('node:fs/promises')).readFile(p, 'utf8'));
  let text: string;
  try {
    text = await readFile(path);
  } catch {
    throw new SecretConfigError(`${SECRET_ENV.confPath} points at ${path}, which cannot be read.`);
  }
  let values: Map<string, string>;
  try {
    values = readAuthConf(text, env);
  } catch (error) {
    if (error instanceof AuthConfSyntaxError) {
      throw new SecretConfigError(
        `${SECRET_ENV.confPath} (${path}) is not valid: ${error.message}.`,
      );
    }
    throw error;
  }
  const secret = values.get(AUTH_CONF_SECRET_KEY);
  if (secret === undefined) {
    throw new SecretConfigError(
      `${SECRET_ENV.confPath} (${path}) does not set ${AUTH_CONF_SECRET_KEY}.`,
    );
  }
  return secret;
}

function makeSecret(
  secret: string,
  source: JwtSecret['source'],
  insecure: boolean,
  warning: string | undefined,
): JwtSecret {
  const key = secretKey(secret);
  const value = { key, source, insecure, warning };
  // Keep the key bytes out of accidental logs.
  Object.defineProperty(value, 'key', { enumerable: false, value: key });
  Object.defineProperty(value, 'toJSON', {
    enumerable: false,
    value: () => ({ source, insecure }),
  });
  return value;
}
