/**
 * Runs apps/worker/src/main.ts in a child process for the fault tests (`kill -9`, SIGTERM),
 * transpiling TypeScript on load with the SWC compiler the tests use and the workspace aliases
 * the production build's tsc-alias rewrites — the same main the built worker runs.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { transformSync } = require('@swc/core');

const root = path.join(__dirname, '../../../..');
const paths = {
  '@integrixs/domain': ['libs/domain/src/index.ts'],
  '@integrixs/adapters': ['libs/adapters/src/index.ts'],
  '@integrixs/mapping-engine': ['libs/mapping-engine/src/index.ts'],
  '@integrixs/runtime': ['libs/runtime/src/index.ts'],
  '@integrixs/schema-engine': ['libs/schema-engine/src/index.ts'],
};
require.extensions['.ts'] = (module, filename) =>
  module._compile(
    transformSync(readFileSync(filename, 'utf8'), {
      filename,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' }, baseUrl: root, paths },
      module: { type: 'commonjs' },
    }).code,
    filename,
  );
require(path.join(root, 'apps/worker/src/main.ts'));
