const { availableParallelism } = require('node:os');

/**
 * `npm test` runs every project's suite: unit tests, integration tests on real PostgreSQL (each
 * file on its own database cloned from a migrated template), the built server end to end, and
 * the console in a real browser. The tests wait on the database more than on the CPU, so use at
 * least two workers even on a two-core machine.
 */
/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Integration tests boot the app and clone a database in their hooks: allow for a busy machine.
  testTimeout: 60000,
  projects: [
    '<rootDir>/libs/domain/jest.config.js',
    '<rootDir>/libs/schema-engine/jest.config.js',
    '<rootDir>/libs/mapping-engine/jest.config.js',
    '<rootDir>/libs/api-client/jest.config.js',
    '<rootDir>/libs/adapters/jest.config.js',
    '<rootDir>/libs/runtime/jest.config.js',
    '<rootDir>/apps/api/jest.config.js',
    '<rootDir>/apps/worker/jest.config.js',
    '<rootDir>/apps/api-e2e/jest.config.js',
    '<rootDir>/apps/web/jest.config.js',
    '<rootDir>/apps/web-e2e/jest.config.js',
  ],
};
