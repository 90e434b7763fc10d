import {
  JsonSchemaCompiler,
  jsonSchemaStructure,
  XsdCompiler,
  xsdStructure,
  XsdValidatorPool,
  type CompiledXsd,
  type SchemaField,
} from '@integrixs/schema-engine';
import { corpusText, ublBundle } from '@integrixs/schema-engine/testing';

/** Test fixtures: the UBL 2.1 Invoice (from the shared corpus) and a small JSON summary schema. */

export const UBL_INVOICE_EXAMPLE = () =>
  corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');

/** The "invoice summary" the issue's demo maps UBL invoices to. */
export const SUMMARY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['id', 'issueDate', 'supplier', 'totals'],
  properties: {
    id: { type: 'string' },
    issueDate: { type: 'string', format: 'date' },
    supplier: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, vat: { type: 'string' } },
    },
    customer: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, city: { type: 'string' } },
    },
    totals: {
      type: 'object',
      required: ['payable'],
      properties: { payable: { type: 'number' }, currency: { type: 'string' } },
    },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'amount'],
        properties: {
          id: { type: 'string' },
          amount: { type: 'number' },
          note: { type: 'string' },
        },
      },
    },
  },
};

export async function summaryStructure(schema: object = SUMMARY_SCHEMA): Promise<SchemaField> {
  const compiled = await new JsonSchemaCompiler().compile({
    type: 'JSON_SCHEMA',
    main: 's.json',
    files: [{ path: 's.json', text: JSON.stringify(schema) }],
  });
  return jsonSchemaStructure(compiled).roots[0];
}

/** Compiles an XSD bundle (check only) with a throw-away validator pool. */
export async function compileXsd(
  files: { path: string; text: string }[] | 'ubl-invoice',
  main = files === 'ubl-invoice' ? 'maindoc/UBL-Invoice-2.1.xsd' : files[0].path,
): Promise<CompiledXsd> {
  const pool = new XsdValidatorPool({ workers: 1 });
  try {
    const bundle =
      files === 'ubl-invoice' ? ublBundle('Invoice') : { type: 'XSD' as const, main, files };
    return await new XsdCompiler(pool).compile(bundle, { keep: false });
  } finally {
    await pool.close();
  }
}

export function rootOf(compiled: CompiledXsd, root: string, maxDepth = 16): SchemaField {
  return xsdStructure(compiled, { root, maxDepth }).roots[0];
}
