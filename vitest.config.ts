import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'terraform/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'terraform/cdktf.out/**'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
