/**
 * The flow runtime's tests: the worker's engine against real PostgreSQL (the API's test
 * database template, deployments made through the API test app) and real protocol servers.
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'worker',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../api/test/global-setup.ts',
  globalTeardown: '<rootDir>/../api/test/global-teardown.ts',
};
