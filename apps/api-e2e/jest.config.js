const { swcJestTransform, workspaceModuleNameMapper } = require('../../jest.shared');

/** End-to-end: the built server started as `npm start` starts it (a real process, real ports). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-e2e',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  transform: swcJestTransform,
  moduleNameMapper: workspaceModuleNameMapper,
};
