const { swcJestTransform, workspaceModuleNameMapper } = require('../../jest.shared');

/**
 * The console in a real browser (Debian Chromium through playwright-core) against the real API.
 * Shares the api project's global setup: one PostgreSQL server and migrated template per run.
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'web-e2e',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: swcJestTransform,
  moduleNameMapper: workspaceModuleNameMapper,
  globalSetup: '<rootDir>/../api/test/global-setup.ts',
  globalTeardown: '<rootDir>/../api/test/global-teardown.ts',
};
