const { swcJestTransform, workspaceModuleNameMapper } = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api',
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: swcJestTransform,
  moduleNameMapper: workspaceModuleNameMapper,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
