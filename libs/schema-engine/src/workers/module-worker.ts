import { basename, dirname, join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** The workspace root, four levels above libs/schema-engine/src/workers (for test-time aliases). */
const WORKSPACE_ROOT = join(__dirname, '../../../..');

/**
 * Loads the worker module: from TypeScript sources (the test runs) it is transpiled on load with
 * the SWC compiler the tests use, with the workspace aliases as the production build's tsc-alias
 * rewrites them; the production build runs the compiled file as it is.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  const { readFileSync } = require('node:fs');
  const { transformSync } = require('@swc/core');
  require.extensions['.ts'] = (module, filename) =>
    module._compile(
      transformSync(readFileSync(filename, 'utf8'), {
        filename,
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript' },
          baseUrl: workerData.root,
          paths: {
            '@integrixs/domain': ['libs/domain/src/index.ts'],
            '@integrixs/schema-engine': ['libs/schema-engine/src/index.ts'],
          },
        },
        module: { type: 'commonjs' },
      }).code,
      filename,
    );
}
require(workerData.entry);
`;

/**
 * Starts the worker module `name` that sits next to `caller` (the caller's `__filename`): the
 * compiled `.js` beside a compiled caller, the TypeScript source beside a source one. `data` is
 * the worker's `workerData` (with `entry` and `root` added for the bootstrap).
 */
export function startModuleWorker(
  caller: string,
  name: string,
  data: Record<string, unknown> = {},
  resourceLimits?: ResourceLimits,
): Worker {
  const entry = join(dirname(caller), `${name}${basename(caller).endsWith('.ts') ? '.ts' : '.js'}`);
  return new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...data, entry, root: WORKSPACE_ROOT },
    ...(resourceLimits && { resourceLimits }),
  });
}
