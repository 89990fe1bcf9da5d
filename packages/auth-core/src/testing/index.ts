export { attackTokens } from './attack-tokens.js';
export { type MatrixAtUse, matrixAtUse } from './matrix-at-use.js';
export { type PlatformClaims, platformToken, type RawTokenOptions, rawToken } from './raw-token.js';
export {
  mixedCaseSecretTokens,
  TEST_KEY,
  TEST_SECRET,
  TEST_SECRET_MIXED_CASE,
} from './test-secret.js';
export { type TokenCase, tokenMatrix } from './token-matrix.js';
export { notTokenParamSpellings, tokenParamSpellings } from './token-param-spellings.js';
