import { createSchema, noteXsd, type SchemaView } from './schemas';
import { json, type TestApp, type TestUser } from './test-app';

/** Fixtures of the schema tenancy suites (imports across packages, issue 8 items 7 and 8). */

export type Kind = 'XSD' | 'JSON_SCHEMA';

export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { path: string; message: string; code: string }[];
  dependents?: { id: string; packageId: string; name: string }[];
  hiddenDependents?: number;
  candidates?: { namespace: string; schemaId: string; packageId: string; packageName: string }[];
}

export interface Edge {
  to_asset_id: string;
  pinned_version: number | null;
  namespace: string | null;
}

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** The namespace (XSD) or $id (JSON Schema) a test's library schema offers. */
export const identifier = (kind: Kind, tag: string) =>
  kind === 'XSD' ? `urn:tenancy:${tag}` : `https://tenancy.example/${tag}.json`;

/** A library schema: `Note` with `to`; version "with secret" adds a required `Secret`. */
export function libraryDocument(kind: Kind, id: string, withSecret = false): string {
  if (kind === 'XSD')
    return noteXsd({ namespace: id, children: withSecret ? ['to', 'Secret'] : ['to'] });
  return JSON.stringify({
    $schema: DRAFT_07,
    $id: id,
    type: 'object',
    properties: { to: { type: 'string' }, ...(withSecret ? { Secret: { type: 'string' } } : {}) },
    required: withSecret ? ['to', 'Secret'] : ['to'],
  });
}

/** A schema that imports the library schema `id` (`revision` changes the text, not the meaning). */
export function importerDocument(kind: Kind, id: string, revision = 0): string {
  if (kind === 'XSD') {
    return `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="${id}"
  targetNamespace="urn:tenancy:envelope" elementFormDefault="qualified">
  <!-- revision ${revision} -->
  <xs:import namespace="${id}"/>
  <xs:element name="Envelope"><xs:complexType><xs:sequence>
    <xs:element ref="n:Note"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;
  }
  return JSON.stringify({
    $schema: DRAFT_07,
    description: `revision ${revision}`,
    type: 'object',
    properties: { note: { $ref: id } },
    required: ['note'],
  });
}

/** An XSD with element `element` in `namespace`, around the `ref` of the namespace it imports. */
export const wrapperXsd = (importNs: string, namespace: string, element: string, ref: string) =>
  `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:i="${importNs}"
  targetNamespace="${namespace}" elementFormDefault="qualified">
  <xs:import namespace="${importNs}"/>
  <xs:element name="${element}"><xs:complexType><xs:sequence>
    <xs:element ref="i:${ref}"/>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

/**
 * In package `pkg`: "Inner" (the library document in namespace `inner`) and "Middle" (a
 * wrapper in `middle` that imports it): a library that imports in turn.
 */
export async function createImportChain(
  t: TestApp,
  pkg: string,
  inner: string,
  middle: string,
): Promise<{ note: SchemaView; wrapper: SchemaView }> {
  const note = await createSchema(t, pkg, {
    name: 'Inner',
    type: 'XSD',
    document: libraryDocument('XSD', inner),
  });
  const wrapper = await createSchema(t, pkg, {
    name: 'Middle',
    type: 'XSD',
    document: wrapperXsd(inner, middle, 'Wrapper', 'Note'),
  });
  return { note, wrapper };
}

/** A payload valid against the library's first version, invalid once `Secret` is required. */
export const payloadFor = (kind: Kind, id: string) =>
  kind === 'XSD'
    ? `<Envelope xmlns="urn:tenancy:envelope"><Note xmlns="${id}"><to>a</to></Note></Envelope>`
    : JSON.stringify({ note: { to: 'a' } });

/** Request helpers bound to a test app. */
export function tenancyHelpers(t: TestApp) {
  const schemaUrl = (packageId: string, schemaId = '') =>
    `/api/packages/${packageId}/schemas${schemaId ? `/${schemaId}` : ''}`;

  /** The schema's direct import edges. */
  const edgesOf = async (schemaId: string): Promise<Edge[]> =>
    (
      await t.db.pool.query<Edge>(
        `SELECT to_asset_id, pinned_version, namespace FROM package_asset_dependencies
          WHERE from_asset_id = $1 AND kind = 'SCHEMA_IMPORT' AND NOT transitive`,
        [schemaId],
      )
    ).rows;

  /** PUTs new content at the schema's current version. */
  const putContent = async (
    packageId: string,
    schemaId: string,
    document: string,
    as: TestUser = t.admin,
    extra: Record<string, unknown> = {},
  ) => {
    const current = json<SchemaView>(
      await t.request({ method: 'GET', url: schemaUrl(packageId, schemaId), as }),
    );
    return t.request({
      method: 'PUT',
      url: schemaUrl(packageId, schemaId),
      payload: { version: current.version, document, ...extra },
      as,
    });
  };

  const addMember = async (packageId: string, user: TestUser, role: string, as = t.admin) => {
    const response = await t.request({
      method: 'PUT',
      url: `/api/packages/${packageId}/members/${user.id}`,
      payload: { role },
      as,
    });
    expect(response.statusCode).toBe(200);
  };

  return { schemaUrl, edgesOf, putContent, addMember };
}

export function problemPaths(response: { body: string }): string[] {
  return (JSON.parse(response.body) as Problem).errors.map((e) => e.path);
}
