import { type Response as InjectResponse } from 'light-my-request';

import { corpusFiles, corpusText } from '@integrixs/schema-engine/testing';

import { json, type TestApp, type TestUser } from './test-app';

/** A small XSD: `<Note>` with child elements `name`, `name?` (optional), `name:int` (typed). */
export function noteXsd(
  options: { namespace?: string; children?: string[]; imports?: string } = {},
): string {
  const ns = options.namespace ?? 'urn:test:note';
  const children = (options.children ?? ['to', 'body'])
    .map((spec) => {
      const optional = spec.endsWith('?');
      const [name, type = 'string'] = spec.replace(/\?$/, '').split(':');
      return `<xs:element name="${name}" type="xs:${type}"${optional ? ' minOccurs="0"' : ''}/>`;
    })
    .join('');
  return `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${ns}" xmlns="${ns}" elementFormDefault="qualified">${options.imports ?? ''}
  <xs:element name="Note"><xs:complexType><xs:sequence>${children}</xs:sequence></xs:complexType></xs:element>
</xs:schema>`;
}

/** The body of `POST .../schemas` for one document. */
export function schemaDocument(
  name: string,
  document = noteXsd(),
  type: 'XSD' | 'WSDL' | 'JSON_SCHEMA' = 'XSD',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { name, type, document, ...extra };
}

/** The body for a corpus folder uploaded as a bundle. */
export function corpusUpload(
  name: string,
  type: 'XSD' | 'WSDL' | 'JSON_SCHEMA',
  folder: string,
  main: string,
  filter?: (path: string) => boolean,
): Record<string, unknown> {
  return { name, type, main, files: corpusFiles(folder, filter) };
}

export function ublUpload(doc: 'Invoice' | 'Order'): Record<string, unknown> {
  return corpusUpload(`UBL ${doc}`, 'XSD', 'xsd/ubl-2.1', `maindoc/UBL-${doc}-2.1.xsd`, (p) =>
    p.endsWith('.xsd'),
  );
}

export interface SchemaView {
  id: string;
  version: number;
  currentVersion: number;
  schemaType: string;
  targetNamespace: string | null;
  content: { type: string; main: string; files: { path: string; text: string }[] };
  warnings?: { message: string; code: string }[];
}

export async function createSchema(
  t: TestApp,
  packageId: string,
  body: Record<string, unknown>,
  as?: TestUser,
): Promise<SchemaView> {
  const response = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/schemas`,
    payload: body,
    ...(as ? { as } : {}),
  });
  if (response.statusCode !== 201)
    throw new Error(
      `creating schema ${String(body['name'])}: ${response.statusCode} ${response.body}`,
    );
  return json<SchemaView>(response);
}

/** POSTs a payload to the validate route (XML unless it parses as JSON). */
export function validatePayload(
  t: TestApp,
  packageId: string,
  schemaId: string,
  payload: string,
  query = '',
  as?: TestUser,
): Promise<InjectResponse> {
  const isXml = payload.trimStart().startsWith('<');
  return t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/schemas/${schemaId}/validate${query}`,
    headers: { 'content-type': isXml ? 'application/xml' : 'application/json' },
    payload,
    ...(as ? { as } : {}),
  });
}

export { corpusFiles, corpusText };
