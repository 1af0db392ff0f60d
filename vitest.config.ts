import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const alias = { 'ignite-run': fileURLToPath(new URL('./src/index.ts', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    globalSetup: ['./test/global-setup.ts'],
    projects: [
      { resolve: { alias }, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      {
        resolve: { alias },
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
      },
      { resolve: { alias }, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      {
        resolve: { alias },
        test: { name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
