import { secretKey } from '../secret-key.js';

/** A fixed, strong-looking secret for tests only (never used by a running service). */
export const TEST_SECRET = 'test-only-secret-0123456789abcdef0123456789abcdef';

/** The HMAC key for `TEST_SECRET` (the auth core's key rule). */
export const TEST_KEY: Uint8Array = secretKey(TEST_SECRET);
