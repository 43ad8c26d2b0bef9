import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    setupFiles: ['./node/polyfill.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The machine has two cores; crash and process tests spawn children of their own.
    maxWorkers: 2,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' }
  }
})
