import { spawnSync } from 'node:child_process';

const PODMAN_INSTALL_HINT = 'run bash scripts/setup images';

/** podman (or another tool the images need) is missing: says how to install it. */
export class ToolNotFoundError extends Error {
  override readonly name = 'ToolNotFoundError';
}

/** A podman (or buildah, mmdebstrap) command failed; carries the end of its output. */
export class PodmanError extends Error {
  override readonly name = 'PodmanError';
}

/**
 * The OCI runtime for `podman run`. Here the default runtime (crun) fails on setrlimit, runc works;
 * `AGENTAUTH_PODMAN_RUNTIME` overrides it (an empty value keeps podman's default).
 */
export function podmanRuntimeArgs(env: Readonly<Record<string, string | undefined>>): string[] {
  const runtime = env.AGENTAUTH_PODMAN_RUNTIME ?? 'runc';
  return runtime === '' ? [] : ['--runtime', runtime];
}

/**
 * Throws a ToolNotFoundError with the install hint unless `tool --version` runs.
 * @example requireTool('podman')
 */
export function requireTool(tool: string): void {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new ToolNotFoundError(`${tool} is not installed; ${PODMAN_INSTALL_HINT}.`);
  }
}

/**
 * Runs `podman …` to completion and returns its stdout; a failure throws a PodmanError with the
 * last lines of stderr. `inherit` streams the output instead (long builds).
 * @example podman(['image', 'exists', 'localhost/agentauth/web:0.1.0'])
 */
export function podman(
  args: readonly string[],
  { inherit = false, allowFailure = false }: { inherit?: boolean; allowFailure?: boolean } = {},
): { status: number; stdout: string } {
  const result = spawnSync('podman', args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) {
    if ((result.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ToolNotFoundError(`podman is not installed; ${PODMAN_INSTALL_HINT}.`);
    }
    throw result.error;
  }
  const status = result.status ?? 1;
  if (status !== 0 && !allowFailure) {
    const tail = (result.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new PodmanError(`podman ${args[0]} failed (exit ${status}):\n${tail}`);
  }
  return { status, stdout: result.stdout ?? '' };
}
