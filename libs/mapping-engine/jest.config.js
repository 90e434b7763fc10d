/** @type {import('jest').Config} */
module.exports = {
  displayName: 'mapping-engine',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
