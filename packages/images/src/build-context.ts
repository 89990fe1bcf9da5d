import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderStaticSiteConf } from '@agentauth/nginx';
import { IMAGES, type ImageName } from './catalogue.js';
import { REPO_ROOT } from './release-version.js';

/** Where the web image serves the app from (read-only in the image). */
export const WEB_ROOT = '/usr/share/agentauth/web';

/** The build context of an image (what the Containerfile's COPY sees). */
function contextDir(name: ImageName, root = REPO_ROOT): string {
  return join(root, 'packages/images/.build', name);
}

/**
 * Writes an image's build context: for a service, `pnpm deploy --prod` of its package from the
 * local store (production dependencies only, workspace packages copied in, better-sqlite3's
 * native module included) into `app/`; for the web app, its built `dist/` as `web/` plus the
 * static-site nginx.conf rendered by @agentauth/nginx. The packages must be built first.
 * @example prepareContext('agent-service') // '<repo>/packages/images/.build/agent-service'
 */
export function prepareContext(name: ImageName, root = REPO_ROOT): string {
  const spec = IMAGES[name];
  const dir = contextDir(name, root);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const built = join(root, spec.packageDir, 'dist');
  if (!existsSync(built)) {
    throw new Error(
      `${spec.packageName} is not built (${built} is missing); run pnpm images, which builds it first.`,
    );
  }
  if (name === 'web') {
    cpSync(built, join(dir, 'web'), { recursive: true });
    writeFileSync(
      join(dir, 'nginx.conf'),
      renderStaticSiteConf({
        staticRoot: WEB_ROOT,
        runDir: '/tmp',
        listen: String(spec.port),
        // Fixed: nginx's "auto" counts the node's CPUs, not the pod's share of them.
        workerProcesses: 2,
      }),
    );
    return dir;
  }
  const deploy = spawnSync(
    'pnpm',
    [
      '--filter',
      spec.packageName,
      'deploy',
      '--legacy',
      '--prod',
      '--prefer-offline',
      join(dir, 'app'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (deploy.status !== 0) {
    throw new Error(`pnpm deploy of ${spec.packageName} failed:\n${deploy.stderr}${deploy.stdout}`);
  }
  return dir;
}
