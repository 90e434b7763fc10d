import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from '../api-dist.mjs';
import { onCleanup } from '../cleanup.mjs';
import { measureAbba, timedLoop } from '../load.mjs';
import { xmllintBaseline, xmllintVersion } from '../xmllint.mjs';
import { expect, shapeProblems } from './shape.mjs';

/** The UBL 2.1 set the demo package ships (the same files as the shared corpus's xsd/ubl-2.1). */
const UBL = path.join(ROOT, 'apps/api/src/demo/data/ubl-2.1');
const UBL_MAIN = 'maindoc/UBL-Invoice-2.1.xsd';
const UBL_EXAMPLES = [
  'examples/UBL-Invoice-2.1-Example.xml',
  'examples/UBL-Invoice-2.1-Example-Trivial.xml',
];
/** SchemaStore schemas with valid/ and invalid/ documents, used in place as the API's tests do. */
const JSON_CORPUS = path.join(ROOT, '../shared/corpus/jsonschema');
const JSON_SCHEMAS = ['github-workflow', 'package'];
/** The validator pool's default size: one worker per core, at most 4. */
const WORKERS = Math.max(1, Math.min(4, os.availableParallelism()));
/** HTTP connections, and validations in flight in the concurrent in-process run. */
const CONCURRENCY = 16;
/** xmllint runs over the documents once, then 1 + REPEAT times (see xmllint.mjs). */
const REPEAT = 2000;
const NO_XMLLINT = 'xmllint is not installed (Debian/Ubuntu: apt-get install libxml2-utils)';

const read = (...parts) => readFileSync(path.join(...parts), 'utf8');
const list = (dir) => readdirSync(dir).sort();
const kb = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function ublSet() {
  const xsds = list(path.join(UBL, 'common')).filter((name) => name.endsWith('.xsd'));
  const files = [UBL_MAIN, ...xsds.map((name) => `common/${name}`)];
  const bundle = {
    type: 'XSD',
    files: files.map((file) => ({ path: file, text: read(UBL, file) })),
    main: UBL_MAIN,
  };
  return {
    files: bundle.files,
    load: () => Promise.resolve({ bundle }),
    examples: UBL_EXAMPLES.map((file) => ({ name: path.basename(file), text: read(UBL, file) })),
  };
}

/** A SchemaStore schema (draft-07), its refs/ and its documents with the expected verdicts. */
function jsonSet(name) {
  const dir = path.join(JSON_CORPUS, name);
  if (!existsSync(dir)) {
    throw new Error(
      `${dir} is missing: the schemas group needs the shared corpus next to the repo`,
    );
  }
  const refs = existsSync(path.join(dir, 'refs')) ? list(path.join(dir, 'refs')) : [];
  const files = ['schema.json', ...refs.map((ref) => `refs/${ref}`)].map((file) => ({
    path: file,
    text: read(dir, file),
  }));
  const documents = ['valid', 'invalid'].flatMap((folder) =>
    list(path.join(dir, folder)).map((file) => ({
      name: `${name}/${folder}/${file}`,
      text: read(dir, folder, file),
      valid: folder === 'valid',
    })),
  );
  return { name, files, documents };
}

/**
 * The baseline for JSON: ajv from the same node_modules with json-schema-compiler.ts's options
 * for draft-07 and ajv-formats, the refs added by their $id, but patterns and formats on
 * JavaScript's own RegExp. The engine runs them on RE2 (linear time, json-regexp.ts) and checks
 * each payload's estimated work before validating it inline (json-validation-policy.ts); what
 * that costs is part of the ratio.
 */
function rawAjv(require, files) {
  const Ajv = require('ajv').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    addUsedSchema: false,
  });
  addFormats(ajv);
  for (const ref of files.slice(1)) ajv.addSchema(JSON.parse(ref.text));
  return ajv.compile(JSON.parse(files[0].text));
}

/**
 * Creates the UBL Invoice schema in a package through the API; its validate path. Without a
 * kept-alive connection: the in-process scenarios that follow keep this process's event loop busy
 * for minutes, and fetch would then send the next request on a socket the API has long closed.
 */
async function createUblSchema(server, packageId, files) {
  const url = `${server.url}/api/packages/${packageId}/schemas`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ name: 'UBL Invoice', type: 'XSD', main: UBL_MAIN, files }),
    signal: AbortSignal.timeout(60000),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return `/api/packages/${packageId}/schemas/${JSON.parse(text).id}/validate`;
}

/** Throws unless every document gets its expected verdict from `check(document)`. */
async function verifyVerdicts(what, documents, check) {
  for (const document of documents) {
    const valid = await check(document);
    if (valid !== document.valid) {
      throw new Error(`${what} says ${document.name} is ${valid ? 'valid' : 'invalid'}`);
    }
  }
}

/** The engine (`inFlight` validations at once) against `processes` xmllint processes at once. */
async function measureXsd({ engine, ubl, xmllint }, options, inFlight, processes) {
  const documents = ubl.examples.map((example) => ({ ...example, valid: true }));
  const validate = async (d) => (await engine.validate('ubl-invoice', ubl.load, d.text)).valid;
  await verifyVerdicts('the engine', documents, validate);
  const call = (i) => validate(documents[i % documents.length]);
  const sides = { api: (seconds) => timedLoop(call, seconds, inFlight) };
  if (!xmllint) {
    return { ...(await measureAbba(sides, options)), baseline: { missing: NO_XMLLINT } };
  }
  return measureAbba({ ...sides, baseline: xmllint[processes].measure }, options);
}

/** The engine against raw ajv on one SchemaStore schema's valid and invalid documents. */
async function measureJson({ engine, require }, options, { name, files, documents }) {
  const load = () =>
    Promise.resolve({ bundle: { type: 'JSON_SCHEMA', files, main: 'schema.json' } });
  const validateEngine = async (d) => (await engine.validate(name, load, d.text)).valid;
  const validateRaw = rawAjv(require, files);
  await verifyVerdicts('the engine', documents, validateEngine);
  await verifyVerdicts('raw ajv', documents, (d) => validateRaw(JSON.parse(d.text)));
  const at = (i) => documents[i % documents.length];
  const engineCall = (i) => validateEngine(at(i)).then((valid) => valid === at(i).valid);
  const rawCall = (i) => validateRaw(JSON.parse(at(i).text)) === at(i).valid;
  return measureAbba(
    {
      api: (seconds) => timedLoop(engineCall, seconds),
      baseline: (seconds) => timedLoop(rawCall, seconds),
    },
    options,
  );
}

const jsonScenario = (name) => ({
  id: `json-${name}`,
  title: `JSON Schema validation: ${name}`,
  request: `SchemaEngine.validate() vs raw ajv, ${name} valid/ and invalid/ documents in turn`,
  labels: ['engine', 'raw ajv'],
  measure: (context, options) => measureJson(context, options, context.json[name]),
  targets: { minThroughputRatio: 0.8 },
});

/**
 * The schema library's validation: the SchemaEngine of the built API in this process (compiled
 * schemas cached) against xmllint and raw ajv on the same documents, and the validate endpoint
 * over HTTP.
 */
export default {
  name: 'schemas',
  title: 'Schema validation',

  async prepare(query, { api, servers }) {
    const require = createRequire(api.main);
    // libs/schema-engine, compiled into the API's build beside apps/ (tsc-alias rewrote the alias).
    const { SchemaEngine } = require('../../../libs/schema-engine/src/index.js');
    const engine = new SchemaEngine({ pool: { workers: WORKERS } });
    onCleanup('close the schema engine', () => engine.close());
    const ubl = ublSet();
    const start = performance.now();
    await engine.validate('ubl-invoice', ubl.load, ubl.examples[0].text);
    const compileMs = performance.now() - start;
    const version = xmllintVersion();
    if (!version) console.log(`  ${NO_XMLLINT}: the XSD scenarios run without their baseline`);
    const baseline = (processes) =>
      xmllintBaseline({
        cwd: UBL,
        schema: UBL_MAIN,
        documents: UBL_EXAMPLES,
        processes,
        repeat: REPEAT,
      });
    const xmllint = version && { 1: baseline(1), [WORKERS]: baseline(WORKERS) };
    const json = Object.fromEntries(JSON_SCHEMAS.map((name) => [name, jsonSet(name)]));
    const [{ id: packageId }] = await query(
      `SELECT id FROM integration_packages WHERE deleted_at IS NULL ORDER BY id LIMIT 1`,
    );
    const validatePath = await createUblSchema(servers.api, packageId, ubl.files);
    return { engine, require, ubl, compileMs, json, xmllint, version, validatePath };
  },

  scenarios: [
    {
      // The issue's target: the service (its pool, requests in flight) against xmllint over the
      // same files in one process. The next two rows are stricter comparisons, for reading.
      id: 'xsd-service',
      title: `UBL Invoice XSD validation, the service (${CONCURRENCY} in flight) vs xmllint`,
      request: `SchemaEngine.validate() with ${WORKERS} pool workers vs one xmllint process`,
      labels: ['engine', 'xmllint'],
      measure: (context, options) => measureXsd(context, options, CONCURRENCY, 1),
      targets: { minThroughputRatio: 0.8 },
    },
    {
      id: 'xsd-single',
      title: 'UBL Invoice XSD validation, one at a time',
      request: 'SchemaEngine.validate() vs xmllint --schema, the 2 UBL Invoice examples in turn',
      labels: ['engine', 'xmllint'],
      measure: (context, options) => measureXsd(context, options, 1, 1),
      targets: {},
    },
    {
      id: 'xsd-concurrent',
      title: `UBL Invoice XSD validation, ${CONCURRENCY} in flight vs ${WORKERS} xmllint processes`,
      request: `SchemaEngine.validate() with ${WORKERS} pool workers vs ${WORKERS} xmllint processes at once`,
      labels: ['engine', 'xmllint'],
      measure: (context, options) => measureXsd(context, options, CONCURRENCY, WORKERS),
      targets: {},
    },
    ...JSON_SCHEMAS.map(jsonScenario),
    {
      id: 'validate-http',
      title: 'Validate a UBL Invoice over HTTP',
      request: `POST /api/packages/{id}/schemas/{schemaId}/validate (UBL-Invoice-2.1-Example.xml), ${CONCURRENCY} connections`,
      baseline: false,
      connections: CONCURRENCY,
      paths: ({ validatePath }) => [validatePath],
      init: ({ ubl }) => ({
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: ubl.examples[0].text,
      }),
      verify: (body) => [
        ...shapeProblems(body, { valid: 'boolean', errors: ['object'] }),
        ...expect(
          body.valid === true,
          `not valid: ${String(JSON.stringify(body.errors)).slice(0, 300)}`,
        ),
      ],
      targets: { maxP99Ms: 20 },
    },
  ],

  dataset: ({ ubl, json }) =>
    `Schemas: UBL 2.1 Invoice (${UBL_MAIN} and the ${ubl.files.length - 1} XSDs of common/, ` +
    `from apps/api/src/demo/data/ubl-2.1) with its examples ` +
    `${ubl.examples.map((e) => `${e.name} (${kb(e.text)})`).join(' and ')}; SchemaStore ` +
    Object.values(json)
      .map(
        (set) =>
          `${set.name} (draft-07, ${set.files.length - 1} refs, ` +
          `${set.documents.filter((d) => d.valid).length} valid and ` +
          `${set.documents.filter((d) => !d.valid).length} invalid documents)`,
      )
      .join(' and ') +
    ' from ../shared/corpus/jsonschema.',

  method: ({ duration, warmup }) =>
    `In-process rows (req/s = documents per second): the SchemaEngine of the built API in the ` +
    `bench process (${WORKERS} validator pool workers), schema compiled once and cached, ` +
    `validate(key, load, text) called in a loop, one at a time or ${CONCURRENCY} in flight; the ` +
    `engine's XML safety check, the hop to the worker and libxml2-wasm, or its JSON parse (with ` +
    `the depth check), the work estimate, ajv with RE2 patterns and error mapping are all inside ` +
    `the figure (documents the estimate does not clear go to a JSON validator worker, also ` +
    `inside the figure). xmllint baseline: ` +
    `\`xmllint --noout --schema ${UBL_MAIN}\` over the examples once, then ${REPEAT + 1} times, ` +
    `per round; per-document time = the difference ÷ (${REPEAT} × 2), so process start and ` +
    `schema compile are left out; the concurrent row runs ${WORKERS} processes at once; CPU = ` +
    `the processes' user + system time. Raw ajv baseline: the same ajv package, options and ` +
    `formats as the engine with JavaScript RegExp patterns, compiled once, JSON.parse + ` +
    `validate per document. ${warmup} s ` +
    `warm-up, then ${duration} s per side in two halves ordered engine, baseline, baseline, ` +
    `engine; CPU ms/req = the bench process's CPU time (worker threads included) per document. ` +
    `HTTP row: autocannon, ${CONCURRENCY} connections, same warm-up and duration, against the built API ` +
    `(NODE_ENV=production, LOG_LEVEL=warn), signed in as the bench administrator; no baseline.`,

  notes: ({ version, xmllint, compileMs }) => [
    `The engine compiled the UBL schema in ${Math.round(compileMs)} ms (first validation; not in the figures).`,
    xmllint
      ? `xmllint (${version}): a process with the examples once (start, schema compile, 2 documents) took ${Math.round(median(xmllint[1].shortMs))} ms (median; not in the figures).`
      : `xmllint: not measured, ${NO_XMLLINT}.`,
  ],
};
