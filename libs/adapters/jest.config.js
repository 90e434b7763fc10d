/** @type {import('jest').Config} */
module.exports = {
  displayName: 'adapters',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
