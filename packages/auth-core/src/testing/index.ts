export { attackTokens } from './attack-tokens.js';
export { type PlatformClaims, platformToken, type RawTokenOptions, rawToken } from './raw-token.js';
export { TEST_KEY, TEST_SECRET } from './test-secret.js';
export { type TokenCase, tokenMatrix } from './token-matrix.js';
export { notTokenParamSpellings, tokenParamSpellings } from './token-param-spellings.js';
