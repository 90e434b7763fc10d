/**
 * Generates the API contract files from the API's DTO classes (STYLE.md › Backend habits):
 *
 *   libs/api-client/openapi.json            the OpenAPI document (sorted keys, Prettier-formatted)
 *   libs/api-client/src/generated/schema.ts TypeScript types for it (openapi-typescript)
 *
 * `npm run generate` writes them; `npm run generate:check` (CI) regenerates in memory and exits 1
 * when the committed files differ. No database is needed: the document comes from
 * dist/.../openapi-document.js, which builds the Nest app in preview mode (nothing instantiated).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import * as prettier from 'prettier';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const API_ENTRY = path.join(ROOT, 'dist/apps/api/apps/api/src/openapi-document.js');
const DOCUMENT_FILE = 'libs/api-client/openapi.json';
const SCHEMA_FILE = 'libs/api-client/src/generated/schema.ts';

const check = process.argv.includes('--check');
const GENERATED_BY = `// From ${DOCUMENT_FILE} by tools/openapi/generate.mjs: run \`npm run generate\`.\n\n`;

function fail(message) {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

/** `nx run api:build` (cached by Nx: instant when the API sources did not change). */
function buildApi() {
  process.stderr.write('Building the API (nx run api:build)…\n');
  const result = spawnSync('npx', ['nx', 'run', 'api:build', '--output-style=static'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_TUI: 'false' },
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    fail('The API does not build, so its OpenAPI document cannot be generated (see above).');
  }
}

/**
 * A TCP listener standing in for PostgreSQL. The document is built with its URL, so a database
 * connection attempt (preview mode no longer holding) fails loudly here instead of going unseen.
 */
async function withDatabaseTripwire(work) {
  let attempts = 0;
  const server = net.createServer((socket) => {
    attempts += 1;
    socket.destroy();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  try {
    const result = await work(`postgres://openapi:unused@127.0.0.1:${port}/unused`);
    if (attempts > 0) {
      fail('Building the OpenAPI document opened a database connection; it must not need one.');
    }
    return result;
  } finally {
    server.close();
  }
}

/** Object keys sorted at every level (arrays keep their order): the file never flaps. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

async function openApiDocument() {
  const require = createRequire(import.meta.url);
  const { buildOpenApiDocument } = require(API_ENTRY);
  const document = await withDatabaseTripwire((url) => buildOpenApiDocument(url));
  // A plain JSON value (no class instances or undefined), keys sorted.
  return sortKeys(JSON.parse(JSON.stringify(document)));
}

/** Formatted as `prettier --check` expects, so `npm run format:check` agrees with this file. */
async function documentText(document) {
  const file = path.join(ROOT, DOCUMENT_FILE);
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(document, null, 2), { ...options, filepath: file });
}

async function schemaText(document) {
  const ast = await openapiTS(document, {
    // `type: object` without properties (free-form JSON) is `Record<string, unknown>`, not `never`.
    emptyObjectsUnknown: true,
    // A property with a `default` stays optional in request bodies (the server fills it in).
    defaultNonNullable: false,
    // Named exports for every schema: `export type PackageDto = components['schemas']['PackageDto']`.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    rootTypesKeepCasing: true,
    silent: true,
  });
  return `${COMMENT_HEADER}${GENERATED_BY}${astToString(ast)}`;
}

async function readIfPresent(file) {
  try {
    return await readFile(path.join(ROOT, file), 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function main() {
  buildApi();
  const document = await openApiDocument();
  const outputs = [
    [DOCUMENT_FILE, await documentText(document)],
    [SCHEMA_FILE, await schemaText(document)],
  ];

  if (check) {
    const stale = [];
    for (const [file, text] of outputs) {
      const committed = await readIfPresent(file);
      if (committed !== text) stale.push(`  ${file}${committed === undefined ? ' (missing)' : ''}`);
    }
    if (stale.length > 0) {
      fail(
        `The generated API client is out of date with the API:\n${stale.join('\n')}\n` +
          'Run `npm run generate` and commit the result.',
      );
    }
    process.stderr.write('The API client is up to date with the API.\n');
    return;
  }

  for (const [file, text] of outputs) {
    const target = path.join(ROOT, file);
    await mkdir(path.dirname(target), { recursive: true });
    if ((await readIfPresent(file)) === text) {
      process.stderr.write(`${file} is up to date\n`);
    } else {
      await writeFile(target, text);
      process.stderr.write(`Wrote ${file}\n`);
    }
  }
}

main().then(
  // The preview app leaves nothing running, but a stray handle must not keep CI waiting.
  () => process.exit(0),
  (error) => fail(`OpenAPI generation failed: ${error?.stack ?? String(error)}`),
);
