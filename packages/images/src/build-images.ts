import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_IMAGES, type BaseKind, ensureLocalBase } from './base-images.js';
import { prepareContext } from './build-context.js';
import { IMAGE_NAMES, IMAGES, type ImageName, imageRepository } from './catalogue.js';
import { podman } from './podman.js';
import { gitRevision, REPO_ROOT, releaseVersion, sourceUrl } from './release-version.js';

export interface BuildOptions {
  /** Registry prefix (`ghcr.io/acme`); none = local names `agentauth/<name>`. */
  readonly registry?: string | undefined;
  /** `local` (default): bases made from Debian packages; `public`: the Containerfiles' defaults. */
  readonly base?: 'local' | 'public' | undefined;
  /** Build only these images (default: all three). */
  readonly only?: readonly ImageName[] | undefined;
  /** Write `<name>-<version>.oci.tar` (OCI archives) into this directory. */
  readonly saveDir?: string | undefined;
  /** Overrides the release version (default: the chart's appVersion). */
  readonly version?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  /** Stream podman's build output (the CLI does; tests keep it quiet). */
  readonly verbose?: boolean;
}

/** What one image build produced. */
export interface BuiltImage {
  readonly name: ImageName;
  /** `<repository>:<version>`, what the chart's default points at. */
  readonly ref: string;
  /** `<repository>:<version>-<revision>`, the same image under the commit's tag. */
  readonly revisionRef: string;
  readonly id: string;
  readonly sizeBytes: number;
  readonly buildSeconds: number;
  readonly archive: string | undefined;
}

export interface BuildResult {
  readonly version: string;
  readonly revision: string;
  readonly baseSeconds: number;
  readonly images: readonly BuiltImage[];
}

/**
 * Builds the images: the local bases when missing (cached in podman's storage), then for each
 * image its build context and `podman build` with the release version, the git revision and the
 * OCI labels as build arguments. Returns names, sizes and timings.
 * @example const { images } = await buildImages({ saveDir: 'oci' })
 */
export async function buildImages(options: BuildOptions = {}): Promise<BuildResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  const version = options.version ?? releaseVersion();
  const revision = gitRevision();
  const source = sourceUrl(env);
  const names = options.only ?? IMAGE_NAMES;

  const baseStarted = performance.now();
  const bases = new Map<BaseKind, string>();
  for (const kind of new Set(names.map((n) => IMAGES[n].base))) {
    bases.set(
      kind,
      options.base === 'public'
        ? BASE_IMAGES[kind].publicDefault
        : await ensureLocalBase(kind, env, log),
    );
  }
  const baseSeconds = (performance.now() - baseStarted) / 1000;

  const images: BuiltImage[] = [];
  for (const name of names) {
    const started = performance.now();
    const spec = IMAGES[name];
    const context = prepareContext(name);
    const repository = imageRepository(name, options.registry);
    const ref = `${repository}:${version}`;
    const revisionRef = `${repository}:${version}-${revision.short}`;
    log(`building ${ref}`);
    podman(
      [
        'build',
        '--file',
        join(REPO_ROOT, spec.packageDir, 'Containerfile'),
        '--build-arg',
        `BASE_IMAGE=${bases.get(spec.base)}`,
        '--build-arg',
        `VERSION=${version}`,
        '--build-arg',
        `REVISION=${revision.full}`,
        '--build-arg',
        `SOURCE=${source}`,
        // Also as --label: buildah's layer cache does not see a changed ARG in LABEL.
        ...Object.entries({ source, version, revision: revision.full }).flatMap(([k, v]) => [
          '--label',
          `org.opencontainers.image.${k}=${v}`,
        ]),
        '--tag',
        ref,
        '--tag',
        revisionRef,
        context,
      ],
      { inherit: options.verbose === true },
    );
    const [id = '', size = '0'] = podman(['image', 'inspect', '--format', '{{.Id}} {{.Size}}', ref])
      .stdout.trim()
      .split(' ');
    images.push({
      name,
      ref,
      revisionRef,
      id,
      sizeBytes: Number(size),
      buildSeconds: (performance.now() - started) / 1000,
      archive: undefined,
    });
  }
  const result = { version, revision: revision.full, baseSeconds, images };
  return options.saveDir ? saveArchives(result, options.saveDir) : result;
}

/**
 * Writes each built image as `<name>-<version>.oci.tar` (an OCI archive) into `dir` and returns
 * the result with the archives named. The release calls it after the image tests, so a test that
 * builds a release of its own cannot leave its archives in place of these.
 * @example saveArchives(await buildImages(), 'dist/release/oci')
 */
export function saveArchives(result: BuildResult, dir: string): BuildResult {
  mkdirSync(dir, { recursive: true });
  const images = result.images.map((image) => {
    const archive = join(dir, `${image.name}-${result.version}.oci.tar`);
    podman(['save', '--format', 'oci-archive', '--output', archive, image.ref]);
    return { ...image, archive };
  });
  return { ...result, images };
}
