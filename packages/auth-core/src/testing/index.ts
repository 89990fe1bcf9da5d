export { type PlatformClaims, platformToken, type RawTokenOptions, rawToken } from './raw-token.js';
export { TEST_SECRET } from './test-secret.js';
export { type TokenCase, tokenMatrix } from './token-matrix.js';
export { notTokenParamSpellings, tokenParamSpellings } from './token-param-spellings.js';
