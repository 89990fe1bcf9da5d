import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to install nginx on this project's machines. */
export const NGINX_INSTALL_HINT = 'run `bash scripts/setup nginx` to install it';

/** nginx is not installed (or NGINX_BIN points at nothing runnable). */
export class NginxNotFoundError extends Error {
  override readonly name = 'NginxNotFoundError';
}

// Debian installs nginx in /usr/sbin, which is not on a regular user's PATH.
const SYSTEM_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

/**
 * The nginx binary: `NGINX_BIN`, else `nginx` on PATH, else the usual sbin directories.
 * Throws NginxNotFoundError with the install hint when there is none.
 * @example spawn(findNginx(process.env), ['-t', '-c', conf])
 */
export function findNginx(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env.NGINX_BIN;
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new NginxNotFoundError(
      `NGINX_BIN=${explicit} is not an executable file; ${NGINX_INSTALL_HINT}.`,
    );
  }
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, 'nginx');
    if (isExecutable(candidate)) return candidate;
  }
  throw new NginxNotFoundError(`nginx is not installed; ${NGINX_INSTALL_HINT}.`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
