/**
 * End-to-end: the built server started as `npm start` starts it (a real process, real ports).
 * @type {import('jest').Config}
 */
module.exports = {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  globalSetup: '<rootDir>/src/global-setup.ts',
};
