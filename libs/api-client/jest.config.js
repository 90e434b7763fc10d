const { swcJestTransform, workspaceModuleNameMapper } = require('../../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-client',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: swcJestTransform,
  moduleNameMapper: workspaceModuleNameMapper,
};
