import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isRole, ROLES } from './roles.js';
import { loadSecret, SecretConfigError } from './secret.js';
import { signToken } from './sign-token.js';

const USAGE = `Usage:
  agentauth token --uid <int> --name <name> [--email <email>] [--role REGULAR] [--ttl 1h]
      Prints a token signed with the secret the services use (AUTH_JWT_SECRET or AUTH_CONF_PATH).
  agentauth secret
      Prints a new random 64-character secret suitable for AUTH_JWT_SECRET.`;

/** Runs the CLI; returns the exit code. Output goes through the given writers for tests. */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'secret') {
      out(randomBytes(32).toString('hex'));
      return 0;
    }
    if (command !== 'token') {
      err(USAGE);
      return command === undefined || command === '--help' ? 0 : 2;
    }
    const { values } = parseArgs({
      args: [...rest],
      options: {
        uid: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string', default: 'REGULAR' },
        ttl: { type: 'string', default: '1h' },
      },
      strict: true,
    });
    const uid = Number(values.uid);
    if (values.uid === undefined || !Number.isInteger(uid))
      throw new UsageError('--uid must be an integer.');
    if (!values.name) throw new UsageError('--name is required.');
    if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
    const secret = await loadSecret(env);
    if (secret.warning) err(secret.warning);
    out(
      await signToken(
        { uid, name: values.name, email: values.email ?? null, role: values.role },
        { key: secret.key, ttl: values.ttl },
      ),
    );
    return 0;
  } catch (error) {
    if (
      error instanceof SecretConfigError ||
      error instanceof UsageError ||
      error instanceof RangeError
    ) {
      err(`agentauth: ${error.message}`);
      return 2;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      err(`agentauth: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

class UsageError extends Error {}
