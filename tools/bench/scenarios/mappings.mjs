import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { ROOT } from '../api-dist.mjs';
import { onCleanup } from '../cleanup.mjs';
import { measureAbba, timedLoop } from '../load.mjs';
import { expect, shapeProblems } from './shape.mjs';

/** The UBL 2.1 set and example the demo package ships (as the schemas group reads them). */
const UBL = path.join(ROOT, 'apps/api/src/demo/data/ubl-2.1');
const UBL_MAIN = 'maindoc/UBL-Invoice-2.1.xsd';
const EXAMPLE = 'examples/UBL-Invoice-2.1-Example.xml';
/** The mapping runner's default pool size: one worker per core, at most 4. */
const WORKERS = Math.max(1, Math.min(4, os.availableParallelism()));
/** HTTP connections, and transformations in flight in the worker run. */
const CONCURRENCY = 16;

const read = (...parts) => readFileSync(path.join(...parts), 'utf8');
const kb = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(1)} KB`;

function ublFiles() {
  const xsds = readdirSync(path.join(UBL, 'common'))
    .filter((name) => name.endsWith('.xsd'))
    .sort()
    .map((name) => `common/${name}`);
  return [UBL_MAIN, ...xsds].map((file) => ({ path: file, text: read(UBL, file) }));
}

/** POST without keep-alive (the in-process rows keep this event loop busy for long). */
async function post(server, url, body) {
  const response = await fetch(`${server.url}${url}`, {
    method: 'POST',
    headers: { ...server.headers, 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const text = await response.text();
  if (response.status !== 201) {
    throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  }
  return JSON.parse(text);
}

/** The demo's mapping through the API: UBL Invoice and summary schemas, then the mapping. */
async function createDemoMapping(server, packageId, files, demo) {
  const base = `/api/packages/${packageId}`;
  const invoice = await post(server, `${base}/schemas`, {
    name: 'UBL Invoice (mappings bench)',
    type: 'XSD',
    main: UBL_MAIN,
    files,
  });
  const summary = await post(server, `${base}/schemas`, {
    name: 'Invoice summary (mappings bench)',
    type: 'JSON_SCHEMA',
    document: JSON.stringify(demo.INVOICE_SUMMARY_SCHEMA),
  });
  const mapping = await post(server, `${base}/mappings`, {
    name: 'UBL Invoice to summary (mappings bench)',
    kind: 'JSONATA',
    sourceSchema: { assetId: invoice.id, root: 'Invoice' },
    targetSchema: { assetId: summary.id },
    rules: demo.INVOICE_SUMMARY_RULES,
  });
  return `${base}/mappings/${mapping.id}/test`;
}

/** Throws unless `run()` gives the demo's expected summary. */
async function verifySummary(what, run, expected) {
  const output = JSON.parse(await run());
  if (JSON.stringify(output) !== JSON.stringify(expected)) {
    throw new Error(`${what} gives ${JSON.stringify(output).slice(0, 300)}`);
  }
}

/** One side against raw jsonata on the pre-parsed canonical JSON of the same example. */
async function measureAgainstRaw({ raw, preParsed, expected }, options, what, call, inFlight = 1) {
  await verifySummary(what, call, expected);
  const rawOutput = await raw.evaluate(preParsed);
  if (JSON.stringify(rawOutput) !== JSON.stringify(expected)) {
    throw new Error(`raw jsonata gives ${JSON.stringify(rawOutput).slice(0, 300)}`);
  }
  return measureAbba(
    {
      api: (seconds) => timedLoop(() => call(), seconds, inFlight),
      baseline: (seconds) => timedLoop(() => raw.evaluate(preParsed), seconds),
    },
    options,
  );
}

/**
 * The mapping engine: the demo's UBL Invoice → JSON summary mapping, in the bench process from
 * the built API's mapping engine (XML read into the canonical view, JSONata, JSON written)
 * against raw jsonata evaluating the same expression on the canonical JSON parsed beforehand,
 * then through the worker-thread runner, and the test endpoint over HTTP.
 */
export default {
  name: 'mappings',
  title: 'Mappings',

  async prepare(query, { api, servers }) {
    const require = createRequire(api.main);
    // The libraries compiled into the API's build beside apps/ (tsc-alias rewrote the aliases).
    const { SchemaEngine } = require('../../../libs/schema-engine/src/index.js');
    const mappingEngine = require('../../../libs/mapping-engine/src/index.js');
    const demo = require('./demo/invoice-summary.js');
    const jsonata = require('jsonata');
    const { prepareTransform, readCanonicalXml, xsdExpander, xsdValueTypes, MappingRunner } =
      mappingEngine;
    const { SaxesParser } = require('saxes');

    const engine = new SchemaEngine({ pool: { workers: 1 } });
    onCleanup('close the schema engine', () => engine.close());
    const files = ublFiles();
    const example = read(UBL, EXAMPLE);
    const ubl = await engine.withCompiled(
      'ubl-invoice',
      () => Promise.resolve({ bundle: { type: 'XSD', files, main: UBL_MAIN } }),
      (compiled) => ({
        format: 'XML',
        root: engine.structure(compiled, { root: 'Invoice', maxDepth: 3 }).roots[0],
        types: xsdValueTypes(compiled.xsd),
        expand: xsdExpander(compiled.xsd, 'Invoice'),
      }),
    );
    const summaryRoot = await engine.withCompiled(
      'summary',
      () =>
        Promise.resolve({
          bundle: {
            type: 'JSON_SCHEMA',
            main: 's.json',
            files: [{ path: 's.json', text: JSON.stringify(demo.INVOICE_SUMMARY_SCHEMA) }],
          },
        }),
      (compiled) => engine.structure(compiled).roots[0],
    );
    const target = { format: 'JSON', root: summaryRoot };
    const documentTransform = prepareTransform({
      kind: 'JSONATA',
      mapping: { document: demo.INVOICE_SUMMARY_DOCUMENT },
      source: ubl,
      target,
    });
    const rulesDefinition = {
      kind: 'JSONATA',
      mapping: { rules: demo.INVOICE_SUMMARY_RULES },
      source: ubl,
      target,
    };
    const rulesTransform = prepareTransform(rulesDefinition);
    const runner = new MappingRunner({ workers: WORKERS });
    onCleanup('close the mapping runner', () => runner.close());
    await runner.prepare('ubl-summary', rulesDefinition);

    const [{ id: packageId }] = await query(
      `SELECT id FROM integration_packages WHERE deleted_at IS NULL ORDER BY id LIMIT 1`,
    );
    const testPath = await createDemoMapping(servers.api, packageId, files, demo);
    return {
      example,
      expected: demo.INVOICE_SUMMARY_EXPECTED,
      // What raw jsonata starts from: the canonical JSON, parsed once, outside the figures.
      preParsed: readCanonicalXml(example, ubl.root, { types: ubl.types, expand: ubl.expand }),
      // The floor under any XML mapping: the conversion alone, and the XML parse alone.
      readOnly: () => readCanonicalXml(example, ubl.root, { types: ubl.types, expand: ubl.expand }),
      parseOnly: () => new SaxesParser({ xmlns: true }).write(example).close(),
      raw: jsonata(demo.INVOICE_SUMMARY_DOCUMENT),
      documentTransform,
      rulesTransform,
      runner,
      testPath,
    };
  },

  scenarios: [
    {
      // The target: what the canonical conversion and the wrapper cost.
      id: 'ubl-summary',
      title: 'UBL Invoice → JSON summary, in process (one document expression)',
      request:
        'prepareTransform().run(xml): XML → canonical JSON → JSONata → JSON text, vs raw jsonata on the pre-parsed canonical JSON',
      labels: ['mapping', 'raw jsonata'],
      measure: (context, options) =>
        measureAgainstRaw(context, options, 'the mapping', () =>
          context.documentTransform.run(context.example),
        ),
      targets: { minThroughputRatio: 0.5 },
    },
    {
      id: 'ubl-summary-rules',
      title: 'UBL Invoice → JSON summary, in process (the demo mapping: 13 rules)',
      request:
        'prepareTransform().run(xml) with the rules, vs raw jsonata with the document expression',
      labels: ['mapping', 'raw jsonata'],
      measure: (context, options) =>
        measureAgainstRaw(context, options, 'the rules', () =>
          context.rulesTransform.run(context.example),
        ),
      targets: {},
    },
    {
      id: 'ubl-summary-workers',
      title: `UBL Invoice → JSON summary in worker threads (${CONCURRENCY} in flight)`,
      request: `MappingRunner.transform() with ${WORKERS} workers, time and memory limits, the demo rules`,
      labels: ['runner', 'raw jsonata'],
      measure: (context, options) =>
        measureAgainstRaw(
          context,
          options,
          'the runner',
          async () => (await context.runner.transform('ubl-summary', context.example)).output,
          CONCURRENCY,
        ),
      targets: {},
    },
    {
      id: 'ubl-read',
      title: 'UBL Invoice → canonical JSON only (no mapping), in process',
      request: 'readCanonicalXml(xml): the conversion alone, vs raw jsonata on the pre-parsed JSON',
      labels: ['conversion', 'raw jsonata'],
      measure: (context, options) =>
        measureAbba(
          {
            api: (seconds) => timedLoop(() => context.readOnly(), seconds),
            baseline: (seconds) =>
              timedLoop(() => context.raw.evaluate(context.preParsed), seconds),
          },
          options,
        ),
      targets: {},
    },
    {
      id: 'ubl-parse',
      title: 'UBL Invoice: XML parse only (saxes, no handlers), in process',
      request: 'new SaxesParser({ xmlns: true }).write(xml).close(), vs raw jsonata',
      labels: ['saxes parse', 'raw jsonata'],
      measure: (context, options) =>
        measureAbba(
          {
            api: (seconds) => timedLoop(() => context.parseOnly(), seconds),
            baseline: (seconds) =>
              timedLoop(() => context.raw.evaluate(context.preParsed), seconds),
          },
          options,
        ),
      targets: {},
    },
    {
      id: 'test-http',
      title: 'Test a mapping over HTTP',
      request: `POST /api/packages/{id}/mappings/{mappingId}/test (the UBL example, validated in and out), ${CONCURRENCY} connections`,
      baseline: false,
      connections: CONCURRENCY,
      paths: ({ testPath }) => [testPath],
      init: ({ example }) => ({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input: example }),
      }),
      verify: (body) => [
        ...shapeProblems(body, { passed: 'boolean', output: 'string', durationMs: 'number' }),
        ...expect(body.passed === true, `not passed: ${JSON.stringify(body).slice(0, 300)}`),
      ],
      targets: {},
    },
  ],

  dataset: ({ example }) =>
    `Mapping: the demo's UBL 2.1 Invoice → JSON invoice summary (apps/api/src/demo/invoice-summary.ts; ` +
    `UBL schema from apps/api/src/demo/data/ubl-2.1), input ${path.basename(EXAMPLE)} (${kb(example)}).`,

  method: ({ duration, warmup }) =>
    `In-process rows (req/s = documents per second): the mapping engine of the built API in the ` +
    `bench process. "mapping" = prepareTransform(definition).run(xml): the XML read safely and ` +
    `converted to the canonical JSON view driven by the UBL structure (XSD value types, deep ` +
    `fields expanded on demand), the JSONata expression evaluated, the result written as JSON ` +
    `text; "raw jsonata" = the same jsonata package evaluating the same document expression on ` +
    `the canonical JSON of the example, converted once before the run. The worker row runs the ` +
    `demo rules in MappingRunner (${WORKERS} workers, ${CONCURRENCY} in flight; the XML read, ` +
    `JSONata and the JSON written in a worker under the time and memory limits). The ` +
    `conversion-only and parse-only rows show the floor under any XML mapping. ${warmup} s warm-up, ` +
    `then ${duration} s per side in two halves ordered mapping, baseline, baseline, mapping. ` +
    `HTTP row: autocannon, ${CONCURRENCY} connections, against the built API (NODE_ENV=production, ` +
    `LOG_LEVEL=warn): input validated against the UBL schema, transformed in a worker, output ` +
    `validated against the summary schema; no baseline.`,
};
