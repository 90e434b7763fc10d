/** @type {import('jest').Config} */
module.exports = {
  displayName: 'schema-engine',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
