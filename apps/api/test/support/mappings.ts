import { type Response as InjectResponse } from 'light-my-request';

import { INVOICE_SUMMARY_RULES, INVOICE_SUMMARY_SCHEMA } from '../../src/demo/invoice-summary';
import { corpusText, schemaDocument } from './schemas';
import { createVia, postAsset, type TestApp, type TestUser } from './test-app';

export { INVOICE_SUMMARY_RULES, INVOICE_SUMMARY_SCHEMA };

export const UBL_INVOICE_EXAMPLE = () =>
  corpusText('xsd/ubl-2.1/examples/UBL-Invoice-2.1-Example.xml');

/** The body of `POST .../schemas` for the demo's JSON invoice summary. */
export function summarySchemaBody(
  name = 'Invoice summary',
  schema: object = INVOICE_SUMMARY_SCHEMA,
) {
  return schemaDocument(name, JSON.stringify(schema), 'JSON_SCHEMA');
}

export interface MappingView {
  id: string;
  version: number;
  currentVersion: number;
  kind: string;
  sourceSchema: { assetId: string; version: number | null; root: string | null };
  targetSchema: { assetId: string; version: number | null; root: string | null };
  rules: { target: string; expression: string }[];
  documentExpression: string | null;
  warnings: { location: string; path?: string; code: string; message: string }[];
}

export interface MappingProblem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; code: string; message: string }[];
  problems: { location: string; target?: string; position?: number; code: string }[];
}

export const postMapping = (
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<InjectResponse> => postAsset(t, packageId, 'mappings', body, as);

export const createMapping = (
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<MappingView> => createVia<MappingView>(t, packageId, 'mappings', body, as);

/** A UBL Invoice → summary JSONata mapping body (the demo's rules unless given). */
export function invoiceMappingBody(
  name: string,
  invoiceId: string,
  summaryId: string,
  rules: { target: string; expression: string }[] = INVOICE_SUMMARY_RULES,
): Record<string, unknown> {
  return {
    name,
    kind: 'JSONATA',
    sourceSchema: { assetId: invoiceId, root: 'Invoice' },
    targetSchema: { assetId: summaryId },
    rules,
  };
}
