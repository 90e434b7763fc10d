import { readFileSync } from 'node:fs';
import path from 'node:path';

import { prepareTransform, xsdExpander, xsdValueTypes } from '@integrixs/mapping-engine';
import {
  JsonSchemaCompiler,
  jsonSchemaStructure,
  XsdCompiler,
  xsdStructure,
  XsdValidatorPool,
} from '@integrixs/schema-engine';
import { ublBundle } from '@integrixs/schema-engine/testing';

import {
  INVOICE_SUMMARY_DOCUMENT,
  INVOICE_SUMMARY_EXPECTED,
  INVOICE_SUMMARY_RULES,
  INVOICE_SUMMARY_SCHEMA,
} from './invoice-summary';

describe('the demo mapping UBL 2.1 Invoice → invoice summary', () => {
  it('maps the official UBL example to the expected summary, as rules and as one document expression', async () => {
    const pool = new XsdValidatorPool({ workers: 1 });
    const ubl = await new XsdCompiler(pool).compile(ublBundle('Invoice'), { keep: false });
    await pool.close();
    const summary = await new JsonSchemaCompiler().compile({
      type: 'JSON_SCHEMA',
      main: 's.json',
      files: [{ path: 's.json', text: JSON.stringify(INVOICE_SUMMARY_SCHEMA) }],
    });
    const sides = {
      source: {
        format: 'XML' as const,
        root: xsdStructure(ubl, { root: 'Invoice', maxDepth: 3 }).roots[0],
        types: xsdValueTypes(ubl),
        expand: xsdExpander(ubl, 'Invoice'),
      },
      target: { format: 'JSON' as const, root: jsonSchemaStructure(summary).roots[0] },
    };
    const transform = prepareTransform({
      kind: 'JSONATA',
      mapping: { rules: INVOICE_SUMMARY_RULES },
      ...sides,
    });
    expect(transform.warnings).toEqual([]);
    const example = readFileSync(
      path.join(__dirname, 'data/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml'),
      'utf8',
    );
    expect(JSON.parse(await transform.run(example))).toEqual(INVOICE_SUMMARY_EXPECTED);
    // The whole-document form the benchmark runs gives the same summary.
    const whole = prepareTransform({
      kind: 'JSONATA',
      mapping: { document: INVOICE_SUMMARY_DOCUMENT },
      ...sides,
    });
    expect(whole.warnings).toEqual([]);
    expect(JSON.parse(await whole.run(example))).toEqual(INVOICE_SUMMARY_EXPECTED);
  }, 60_000);
});
