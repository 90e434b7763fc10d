/** `npm test` runs every project's suite: unit tests and integration tests on real PostgreSQL. */
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/apps/api/jest.config.js', '<rootDir>/libs/domain/jest.config.js'],
};
