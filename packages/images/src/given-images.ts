import { IMAGE_NAMES, type ImageName } from './catalogue.js';
import { podman } from './podman.js';

/** Names already-built images for the image tests (`pnpm release` sets it to what it released). */
export const GIVEN_IMAGES_VARIABLE = 'AGENTAUTH_TEST_IMAGES';

/** podman has the image `ref` (`podman image exists`). */
export function podmanHasImage(ref: string): boolean {
  return podman(['image', 'exists', ref], { allowFailure: true }).status === 0;
}

/**
 * The images the tests should run instead of building their own: `AGENTAUTH_TEST_IMAGES`, a JSON
 * object with the ref of each image (`{"web":"ghcr.io/acme/agentauth/web:0.1.0",…}`), or
 * `undefined` when it is unset or empty (the tests build). Throws one sentence naming the
 * variable when it is malformed or podman lacks one of the images.
 * @example const given = givenImages(process.env) // pnpm release: the images it just built
 */
export function givenImages(
  env: Readonly<Record<string, string | undefined>>,
  exists: (ref: string) => boolean = podmanHasImage,
): Record<ImageName, string> | undefined {
  const raw = env[GIVEN_IMAGES_VARIABLE];
  if (raw === undefined || raw.trim() === '') return undefined;
  const shape = `${GIVEN_IMAGES_VARIABLE} must be a JSON object with an image ref for each of ${IMAGE_NAMES.join(', ')} and nothing else.`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(shape);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(shape);
  }
  const entries = parsed as Record<string, unknown>;
  const keys = Object.keys(entries).sort();
  if (
    keys.join('\n') !== [...IMAGE_NAMES].sort().join('\n') ||
    IMAGE_NAMES.some((name) => typeof entries[name] !== 'string' || entries[name] === '')
  ) {
    throw new Error(shape);
  }
  const refs = entries as Record<ImageName, string>;
  for (const name of IMAGE_NAMES) {
    if (!exists(refs[name])) {
      throw new Error(
        `${GIVEN_IMAGES_VARIABLE} names ${refs[name]} for ${name}, which podman does not have (podman image exists): build it (pnpm images) or unset the variable.`,
      );
    }
  }
  return Object.fromEntries(IMAGE_NAMES.map((name) => [name, refs[name]])) as Record<
    ImageName,
    string
  >;
}
