import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    // Hang guards, not time limits: on a loaded 2-core machine (load 8, CI beside other work) an
    // end-to-end test that takes 20 s when quiet has taken over 60 s; the suite must pass there too.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // No slow-step progress lines (`Parsing the project: ...`, due after two seconds) unless a test
    // asks for them with TSDBT_SLOW_STEP_MS=0: on a loaded machine they appeared in tests that
    // compare a command's output whole (ls-output.test.ts failed so once).
    env: { TSDBT_SLOW_STEP_MS: String(24 * 3600 * 1000) },
    reporters: ['default', './test/setup/summary-reporter.ts'],
  },
});
