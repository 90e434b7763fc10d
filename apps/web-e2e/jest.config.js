/**
 * The console in a real browser (Chromium through playwright-core: Debian's when installed, else
 * the one inside the @sparticuz/chromium devDependency; see src/support/browser.ts) against the
 * real API. Shares the api project's global setup: one PostgreSQL server and migrated template per
 * run.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/../api/test/global-setup.ts',
  globalTeardown: '<rootDir>/../api/test/global-teardown.ts',
};
