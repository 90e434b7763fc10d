/** @type {import('jest').Config} */
module.exports = {
  displayName: 'api-client',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
