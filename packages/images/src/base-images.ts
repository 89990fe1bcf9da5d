import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { podman, requireTool } from './podman.js';

/** The two kinds of base image: Node for the services, nginx for the web app. */
export type BaseKind = 'node' | 'nginx';

/** A base image: the public default, and the Debian packages of the locally made one. */
export interface BaseImage {
  /** The BASE_IMAGE default of the Containerfiles, for builders that reach a registry. */
  readonly publicDefault: string;
  /** Debian 13 packages of the local base (nodejs 20.19 meets the engines; Debian 12 has 18). */
  readonly debianPackages: readonly string[];
}

export const BASE_IMAGES: Readonly<Record<BaseKind, BaseImage>> = {
  node: {
    publicDefault: 'docker.io/library/node:20-bookworm-slim',
    debianPackages: ['nodejs', 'ca-certificates'],
  },
  nginx: {
    publicDefault: 'docker.io/nginxinc/nginx-unprivileged:1.28',
    debianPackages: ['nginx'],
  },
};

const SUITE = 'trixie';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
// Documentation, manuals and translations stay out of the root filesystem (copyright files stay).
const DPKG_OPTIONS = [
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
];

function mmdebstrapArgs(kind: BaseKind, mirror: string): string[] {
  return [
    '--variant=minbase',
    `--include=${BASE_IMAGES[kind].debianPackages.join(',')}`,
    ...DPKG_OPTIONS.map((o) => `--dpkgopt=${o}`),
    '--format=tar',
    SUITE,
    '-',
    mirror,
  ];
}

/**
 * The local base image's name. The tag hashes everything that goes into it (suite, packages,
 * dpkg options, mirror), so a changed recipe makes a new image and an unchanged one is reused.
 * @example localBaseRef('node', process.env) // 'localhost/agentauth/base-node:trixie-1a2b3c4d5e6f'
 */
function localBaseRef(kind: BaseKind, env: Readonly<Record<string, string | undefined>>) {
  const mirror = env.AGENTAUTH_DEBIAN_MIRROR || DEFAULT_MIRROR;
  const hash = createHash('sha256')
    .update(JSON.stringify(mmdebstrapArgs(kind, mirror)))
    .digest('hex')
    .slice(0, 12);
  return `localhost/agentauth/base-${kind}:${SUITE}-${hash}`;
}

/**
 * Makes the local base image from Debian's packages (mmdebstrap → podman import) unless it is
 * already in podman's storage, and resolves with its ref. No registry is involved.
 * @example const ref = await ensureLocalBase('node', process.env, console.error)
 */
export async function ensureLocalBase(
  kind: BaseKind,
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): Promise<string> {
  const ref = localBaseRef(kind, env);
  if (podman(['image', 'exists', ref], { allowFailure: true }).status === 0) {
    return ref;
  }
  requireTool('mmdebstrap');
  const mirror = env.AGENTAUTH_DEBIAN_MIRROR || DEFAULT_MIRROR;
  log(`making the local ${kind} base ${ref} from Debian ${SUITE} (${mirror})`);
  const changes = [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `LABEL org.opencontainers.image.title=agentauth-base-${kind}`,
    `LABEL org.opencontainers.image.description=Debian ${SUITE} minbase with ${BASE_IMAGES[kind].debianPackages.join(' ')}`,
  ].flatMap((c) => ['--change', c]);
  const strap = spawn('mmdebstrap', mmdebstrapArgs(kind, mirror), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const load = spawn('podman', ['import', '--quiet', ...changes, '-', ref], {
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  strap.stdout.pipe(load.stdin);
  let errors = '';
  const keep = (chunk: Buffer) => {
    errors = (errors + chunk).slice(-4000);
  };
  strap.stderr.on('data', keep);
  load.stderr.on('data', keep);
  const exited = (child: import('node:child_process').ChildProcess) =>
    new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
  const [strapStatus, loadStatus] = await Promise.all([exited(strap), exited(load)]);
  if (strapStatus !== 0 || loadStatus !== 0) {
    throw new Error(
      `making ${ref} failed (mmdebstrap exit ${strapStatus}, podman import exit ${loadStatus}):\n${errors}`,
    );
  }
  return ref;
}
