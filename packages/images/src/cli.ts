import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildImages } from './build-images.js';
import { IMAGE_NAMES, type ImageName } from './catalogue.js';
import { PodmanError, ToolNotFoundError } from './podman.js';

const USAGE = `Usage: pnpm images [options]

Builds the access-control-service, agent-service and web images with podman, tagged
<repository>:<version> and <repository>:<version>-<git revision> (version = the chart's appVersion).

  --registry <prefix>   name images <prefix>/agentauth/<name> (e.g. ghcr.io/acme) [agentauth/<name>]
  --base local|public   local: base images made here from Debian 13 packages (default; no
                        registry needed); public: the Containerfiles' default public Node/nginx images
  --only <name>         build only this image (repeatable): ${IMAGE_NAMES.join(', ')}
  --save <dir>          also write <dir>/<name>-<version>.oci.tar (OCI archives)
  --quiet               do not stream podman's build output`;

/** Runs the `pnpm images` CLI; returns the exit code. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(argv[0] === '--' ? argv.slice(1) : argv));
  } catch (error) {
    console.error(`images: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const only = values.only ?? [];
  const unknown = only.find((n) => !(IMAGE_NAMES as readonly string[]).includes(n));
  if (unknown !== undefined) {
    console.error(
      `images: --only ${unknown} is not an image; use one of ${IMAGE_NAMES.join(', ')}.`,
    );
    return 2;
  }
  if (values.base !== 'local' && values.base !== 'public') {
    console.error('images: --base must be local or public.');
    return 2;
  }
  const cwd = env.INIT_CWD ?? process.cwd();
  try {
    const result = await buildImages({
      registry: values.registry,
      base: values.base,
      only: only.length > 0 ? (only as ImageName[]) : undefined,
      saveDir: values.save === undefined ? undefined : resolve(cwd, values.save),
      env,
      verbose: !values.quiet,
      log: (line) => console.error(`images: ${line}`),
    });
    console.error(`images: version ${result.version}, revision ${result.revision}`);
    for (const image of result.images) {
      const mb = (image.sizeBytes / 1e6).toFixed(1);
      console.error(
        `images: ${image.ref} (${image.revisionRef}) ${mb} MB, built in ${image.buildSeconds.toFixed(1)} s${image.archive ? `, saved to ${image.archive}` : ''}`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof ToolNotFoundError || error instanceof PodmanError) {
      console.error(`images: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      registry: { type: 'string' },
      base: { type: 'string', default: 'local' },
      only: { type: 'string', multiple: true },
      save: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
}
