import { ASSET_PAGE_SCHEMA, ASSET_SEARCH_PAGE_SCHEMA } from '../src/asset/asset-response-schemas';
import { type JsonSchema } from '../src/core/listing/response-schema';
import {
  GRAPH_WALK_SCHEMA,
  PACKAGE_GRAPH_SCHEMA,
} from '../src/dependency/dependency-response-schemas';
import { CONTAINER_CONTENTS_SCHEMA } from '../src/package-container/dto/container-response-schemas';
import { PACKAGE_PAGE_SCHEMA } from '../src/package-metadata/package-views';
import { createAssetOfEveryType, createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * The hot read routes answer through Fastify response schemas (fast-json-stringify), which drop
 * whatever they do not name. Each must therefore say exactly what the route's DTO says: checked
 * here against the OpenAPI document generated from the DTOs, property by property, so a field
 * added to a DTO cannot silently vanish from the answer.
 */
type Node = Record<string, unknown>;
interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, Node> }>>;
  components: { schemas: Record<string, Node> };
}

const ROUTES: [string, JsonSchema][] = [
  ['/api/packages', PACKAGE_PAGE_SCHEMA],
  ['/api/packages/{id}/container/contents', CONTAINER_CONTENTS_SCHEMA],
  ['/api/packages/{id}/container/schemas', ASSET_PAGE_SCHEMA],
  ['/api/packages/{id}/container/flows', ASSET_PAGE_SCHEMA],
  ['/api/assets', ASSET_SEARCH_PAGE_SCHEMA],
  ['/api/packages/{id}/assets/{assetId}/dependencies', GRAPH_WALK_SCHEMA],
  ['/api/packages/{id}/assets/{assetId}/dependents', GRAPH_WALK_SCHEMA],
  ['/api/packages/{id}/dependency-graph', PACKAGE_GRAPH_SCHEMA],
];

const typesOf = (schema: JsonSchema): string[] => {
  const type = schema['type'];
  return Array.isArray(type) ? (type as string[]) : [String(type)];
};

/** Where `mine` differs from the OpenAPI `node` (resolved through $ref and allOf). */
function differences(doc: OpenApi, node: Node, mine: JsonSchema, path: string): string[] {
  const ref = (node['$ref'] ?? (node['allOf'] as Node[] | undefined)?.[0]?.['$ref']) as
    string | undefined;
  const resolved: Node = ref
    ? { ...doc.components.schemas[ref.split('/').at(-1) ?? ''], nullable: node['nullable'] }
    : node;
  const problems: string[] = [];
  if (resolved['nullable'] === true && !typesOf(mine).includes('null')) {
    problems.push(`${path} is nullable in the DTO`);
  }
  if (resolved['type'] === 'array') {
    if (!typesOf(mine).includes('array')) return [...problems, `${path} is an array in the DTO`];
    return [
      ...problems,
      ...differences(doc, resolved['items'] as Node, mine['items'] as JsonSchema, `${path}[]`),
    ];
  }
  const properties = resolved['properties'] as Record<string, Node> | undefined;
  if (properties) {
    const own = (mine['properties'] ?? {}) as Record<string, JsonSchema>;
    const names = (o: object) => Object.keys(o).sort();
    if (names(own).join() !== names(properties).join()) {
      problems.push(`${path} has ${names(own).join()}; the DTO ${names(properties).join()}`);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (own[name]) problems.push(...differences(doc, property, own[name], `${path}.${name}`));
    }
    return problems;
  }
  const wanted = resolved['type'] === 'number' ? 'integer' : String(resolved['type']);
  if (!typesOf(mine).includes(wanted)) problems.push(`${path} is ${wanted} in the DTO`);
  return problems;
}

describe('response schemas of the hot read routes', () => {
  let t: TestApp;
  let doc: OpenApi;
  let packageId: string;

  beforeAll(async () => {
    t = await startTestApp();
    doc = json<OpenApi>(await t.request({ method: 'GET', url: '/api/docs-json' }));
    packageId = await createPackage(t, 'Schemas');
    await createAssetOfEveryType(t, packageId, 'Schemas');
  });
  afterAll(() => t.close());

  it.each(ROUTES)('%s says what its DTO says', (route, schema) => {
    const ok = doc.paths[route]?.['get']?.responses['200'];
    const content = (ok?.['content'] as Record<string, { schema: Node }>)['application/json'];
    expect(differences(doc, content?.schema ?? {}, schema, 'body')).toEqual([]);
  });

  it('keeps nulls and nested objects through the serialiser', async () => {
    const get = async (url: string) => json(await t.request({ method: 'GET', url }));
    const packages = await get('/api/packages?q=schemas');
    expect(packages).toMatchObject({ total: 1, totalIsEstimate: false, nextCursor: null });
    expect((packages['items'] as Node[])[0]).toMatchObject({
      name: 'Schemas',
      owner: null,
      deletedAt: null,
      assetCounts: { SCHEMA: 1, ADAPTER: 1, MAPPING: 1, FLOW: 1 },
      totalAssets: 4,
    });
    const contents = await get(`/api/packages/${packageId}/container/contents`);
    expect(contents).toMatchObject({
      totalAssets: 4,
      byStatus: { DRAFT: 4, READY: 0, ARCHIVED: 0 },
      readiness: { status: 'NOT_EVALUATED', failingItems: 0, checkedAt: null },
    });
    expect((contents['lastModified'] as Node[]).map((a) => a['lock'])).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const found = await get('/api/assets?type=FLOW');
    expect((found['items'] as Node[])[0]).toMatchObject({ packageName: 'Schemas', lock: null });
  });
});
