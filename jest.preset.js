/**
 * The Jest preset every project's jest.config.js starts from (`preset: '../../jest.preset.js'`,
 * the Nx convention): Node as the environment, SWC (with decorator metadata, for Nest) as the
 * transform, and the workspace path aliases. A project adds only what is its own: its name, which
 * files are its tests, and its global setup.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: {
    '^@integrixs/domain$': path.join(__dirname, 'libs/domain/src/index.ts'),
    '^@integrixs/domain/testing$': path.join(
      __dirname,
      'libs/domain/src/testing/framework-free.ts',
    ),
    '^@integrixs/api-client$': path.join(__dirname, 'libs/api-client/src/index.ts'),
    '^@integrixs/adapters$': path.join(__dirname, 'libs/adapters/src/index.ts'),
    '^@integrixs/adapters/testing$': path.join(__dirname, 'libs/adapters/src/testing/index.ts'),
    '^@integrixs/mapping-engine$': path.join(__dirname, 'libs/mapping-engine/src/index.ts'),
    '^@integrixs/runtime$': path.join(__dirname, 'libs/runtime/src/index.ts'),
    '^@integrixs/schema-engine$': path.join(__dirname, 'libs/schema-engine/src/index.ts'),
    '^@integrixs/schema-engine/testing$': path.join(
      __dirname,
      'libs/schema-engine/src/testing/index.ts',
    ),
  },
};
