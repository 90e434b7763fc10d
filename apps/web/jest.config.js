const { createCjsPreset } = require('jest-preset-angular/presets');

/**
 * The console's component and unit tests: Angular's test bed in jsdom (jest-preset-angular,
 * zoneless like the app), on the root preset's path aliases. The root preset compiles TypeScript
 * with SWC; here the Angular compiler does (templates, signal inputs), so its transform takes the
 * root preset's `.ts` pattern too.
 * @type {import('jest').Config}
 */
const angular = createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' });
const compile = angular.transform['^.+\\.(ts|js|mjs|html|svg)$'];

module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  ...angular,
  transform: { '^.+\\.(t|j)s$': compile, '^.+\\.(mjs|html|svg)$': compile },
  rootDir: '.',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
