import { readdirSync } from 'node:fs';

import baseConfig from '../../eslint.config.mjs';

/**
 * The direction of dependencies inside the API (issue 9): each folder of src/ may import only
 * the folders listed for it — lower layers — and nothing imports "up" or sideways:
 *
 *   core ← identity ← asset ← dependency ← schema / adapter / mapping ← flow ← deployment ← package-container
 *                  ↖ audit        ↖ package-metadata (asset)                          ← demo
 *                  ↖ environment ← adapter (adapters also read WSDLs from schema)
 *                                  schema ← mapping (a mapping reads its schemas' structures)
 *
 * A new folder must be placed here: until it is, no other folder may import it. The top-level
 * files (app.module.ts, bootstrap.ts, main.ts, openapi-document.ts) wire everything together and
 * may import anything; nothing imports them.
 */
const TYPES = ['schema', 'adapter', 'mapping', 'flow'];
const MAY_IMPORT = {
  core: [],
  identity: ['core'],
  audit: ['core', 'identity'],
  asset: ['core', 'identity'],
  dependency: ['core', 'identity', 'asset'],
  ...Object.fromEntries(TYPES.map((type) => [type, ['core', 'identity', 'asset', 'dependency']])),
  environment: ['core', 'identity'],
  // An adapter binds library schemas (a SOAP adapter's WSDL operation) and has per-environment
  // overlays: it sits above schema/ and environment/.
  adapter: ['core', 'identity', 'asset', 'dependency', 'schema', 'environment'],
  // A mapping compiles against and validates with its source and target schemas: above schema/.
  mapping: ['core', 'identity', 'asset', 'dependency', 'schema'],
  // A flow's readiness gate reads its adapters' configuration and tests per environment and runs
  // its mappings' samples: above adapter/ and mapping/.
  flow: ['core', 'identity', 'asset', 'dependency', 'environment', 'schema', 'adapter', 'mapping'],
  'package-metadata': ['core', 'identity', 'asset'],
  // Deployments pin and gate flows (issue 12): above flow/ and environments, below the container.
  deployment: ['core', 'identity', 'asset', 'dependency', 'environment', ...TYPES],
  // The flow runtime's API (issue 13): accepts messages for deployments, reads their executions.
  runtime: ['core', 'identity', 'asset', 'dependency', 'environment', 'deployment', ...TYPES],
  // Runtime monitoring (issue 13): metrics, retention, alert rules (deliver through EMAIL
  // adapters) and post-deployment health of deployments.
  'runtime-monitoring': [
    'core',
    'identity',
    'asset',
    'dependency',
    'environment',
    'deployment',
    ...TYPES,
  ],
  'package-container': [
    'core',
    'identity',
    'asset',
    'dependency',
    'package-metadata',
    'deployment',
    ...TYPES,
  ],
  demo: [
    'core',
    'identity',
    'asset',
    'dependency',
    'package-metadata',
    'package-container',
    'deployment',
    ...TYPES,
  ],
};

/**
 * Files that may import more than their folder, each until the change that removes the need.
 * None today: asset/ reaches the types only through the AssetTypeRegistry (asset-type-handler.ts).
 */
const EXCEPTIONS = [];

const SRC = new URL('./src/', import.meta.url);
const FOLDERS = readdirSync(SRC, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const TOP_LEVEL = readdirSync(SRC, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => entry.name.replace(/\.ts$/, ''));
/** How deep files sit below src/ (src/schema/dto/x.ts: 3): one rule per depth, as `../` counts. */
function deepest(dir, depth = 1) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .reduce(
      (max, entry) => Math.max(max, deepest(new URL(`${entry.name}/`, dir), depth + 1)),
      depth,
    );
}
const MAX_DEPTH = deepest(SRC) - 1;

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** no-restricted-imports for a file `depth` folders below src/ in `folder`, allowed `allowed`. */
function layerRule(folder, depth, allowed) {
  const forbidden = [...FOLDERS, ...TOP_LEVEL].filter(
    (target) => target !== folder && !allowed.includes(target),
  );
  if (forbidden.length === 0) return 'off';
  const up = '\\.\\./'.repeat(depth);
  return [
    'error',
    {
      patterns: [
        {
          regex: `^(\\./)?${up}(${forbidden.map(escape).join('|')})(/|$)`,
          message: `${folder}/ ${allowed.length ? `may import only ${allowed.join(', ')}` : 'imports no other folder of src'}: nothing imports up or sideways (the layers in apps/api/eslint.config.mjs).`,
        },
      ],
    },
  ];
}

const layers = Object.entries(MAY_IMPORT).flatMap(([folder, allowed]) =>
  Array.from({ length: MAX_DEPTH }, (_, i) => ({
    files: [`src/${folder}/${'*/'.repeat(i)}*.ts`],
    rules: { 'no-restricted-imports': layerRule(folder, i + 1, allowed) },
  })),
);
const exceptions = EXCEPTIONS.map(({ file, alsoImports }) => {
  const folder = file.split('/')[1];
  const depth = file.split('/').length - 2;
  return {
    files: [file],
    rules: {
      'no-restricted-imports': layerRule(folder, depth, [...MAY_IMPORT[folder], ...alsoImports]),
    },
  };
});

export default [...baseConfig, ...layers, ...exceptions];
