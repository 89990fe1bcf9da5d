import { fileURLToPath } from 'node:url';

/** The checkout this package lives in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
