/** Jest settings every project shares: SWC (with decorator metadata, for Nest) and path aliases. */
const path = require('node:path');

const swcJestTransform = {
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
};

const workspaceModuleNameMapper = {
  '^@integrixs/domain$': path.join(__dirname, 'libs/domain/src/index.ts'),
  '^@integrixs/api-client$': path.join(__dirname, 'libs/api-client/src/index.ts'),
};

module.exports = { swcJestTransform, workspaceModuleNameMapper };
