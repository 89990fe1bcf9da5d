export {
  BASE_IMAGES,
  type BaseImage,
  type BaseKind,
  ensureLocalBase,
} from './base-images.js';
export { prepareContext, WEB_ROOT } from './build-context.js';
export {
  type BuildOptions,
  type BuildResult,
  type BuiltImage,
  buildImages,
  saveArchives,
} from './build-images.js';
export {
  IMAGE_NAMES,
  IMAGES,
  type ImageName,
  type ImageSpec,
  imageRepository,
} from './catalogue.js';
export { PodmanError, podman, podmanRuntimeArgs, ToolNotFoundError } from './podman.js';
export { gitRevision, REPO_ROOT, releaseVersion, sourceUrl } from './release-version.js';
export {
  type HardenedRun,
  RUN_ULIMITS,
  type RunningContainer,
  startContainer,
} from './run-container.js';
