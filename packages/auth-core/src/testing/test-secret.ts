/** A fixed, strong-looking secret for tests only (never used by a running service). */
export const TEST_SECRET = 'test-only-secret-0123456789abcdef0123456789abcdef';
