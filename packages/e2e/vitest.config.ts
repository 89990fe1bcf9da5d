import { defineConfig } from 'vitest/config';

// Every file starts its own real stack (nginx + three services) on loopback; running files one at a
// time keeps the 2-core CI machine from timing itself out and the load figures meaningful.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'test-results/junit.xml' },
  },
});
