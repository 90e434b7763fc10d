import { type Response as InjectResponse } from 'light-my-request';
import { DataSource } from 'typeorm';

import {
  ASSET_PATH_SEGMENTS,
  ASSET_TYPES,
  PERMISSIONS,
  type AssetType,
  type Permission,
  type ProblemDetails,
} from '@integrixs/domain';

import { AccessTokens } from '../../src/identity/access-tokens';
import { SessionsService } from '../../src/identity/sessions.service';
import { noteXsd } from './schemas';
import { json, type TestApp, type TestUser } from './test-app';

/** Fixtures and helpers shared by the access-control suites (matrix, BOLA, tokens, members, audit). */

export type AssetSegment = (typeof ASSET_PATH_SEGMENTS)[AssetType];

export const ASSET_SEGMENTS = ASSET_TYPES.map((type) => ASSET_PATH_SEGMENTS[type]);

/** The problem+json body of an error response. */
export function problemOf(response: InjectResponse): ProblemDetails {
  return json<ProblemDetails>(response);
}

/** What the permission guard answers to someone who may not see a package: as if it did not exist. */
export function hiddenPackageDetail(packageId: string): string {
  return `Package ${packageId} does not exist`;
}

/** True when the response is the guard's "this package does not exist for you" 404. */
export function isHiddenPackage(response: InjectResponse, packageId: string): boolean {
  if (response.statusCode !== 404) return false;
  const problem = problemOf(response);
  return problem.code === 'not_found' && problem.detail === hiddenPackageDetail(packageId);
}

/** Creates a package (as the test's administrator unless `as` says otherwise) and returns its id. */
export async function createPackage(
  t: TestApp,
  name: string,
  options: { as?: TestUser; description?: string } = {},
): Promise<string> {
  const response = await t.request({
    method: 'POST',
    url: '/api/packages',
    payload: { name, description: options.description ?? '' },
    ...(options.as ? { as: options.as } : {}),
  });
  if (response.statusCode !== 201)
    throw new Error(`creating package ${name}: ${response.statusCode} ${response.body}`);
  return json<{ id: string }>(response).id;
}

export interface CreatedAsset {
  id: string;
  type: AssetType;
  segment: string;
  name: string;
  version: number;
}

/** A valid create body for an adapter: a FILE source reading `folder`. */
export function adapterBody(name: string, folder = '/data/in'): Record<string, unknown> {
  return { name, adapterType: 'FILE', direction: 'SOURCE', configuration: { folder } };
}

/** A valid create body for a mapping: an empty JSONATA draft from `schemaId` to itself. */
export function mappingBody(name: string, schemaId: string): Record<string, unknown> {
  return {
    name,
    kind: 'JSONATA',
    sourceSchema: { assetId: schemaId },
    targetSchema: { assetId: schemaId },
  };
}

/**
 * A valid create body for an asset of any type: schemas have content of their own shape (a
 * document, files or a zip), adapters a typed configuration, mappings their schemas (`schemaId`),
 * flows an (empty) graph.
 */
export function assetBody(
  type: AssetType,
  name: string,
  content: unknown = { text: `${name} content` },
  schemaId?: string,
): Record<string, unknown> {
  if (type === 'SCHEMA') return { name, type: 'XSD', document: noteXsd() };
  if (type === 'ADAPTER') return adapterBody(name);
  // Without a schema (a body that is never meant to be saved): a made-up schema id.
  if (type === 'MAPPING')
    return mappingBody(name, schemaId ?? '00000000-0000-4000-8000-000000000000');
  // Flows are a graph (issue 12): an empty one is a valid draft; `content` is not a flow field.
  if (type === 'FLOW') return { name, nodes: [], edges: [] };
  return { name, content };
}

/**
 * A schema of the package a mapping fixture can name: the first one the caller sees, else a new
 * one named after the mapping.
 */
async function schemaForMapping(
  t: TestApp,
  packageId: string,
  name: string,
  as?: TestUser,
): Promise<string> {
  const listed = await t.request({
    method: 'GET',
    url: `/api/packages/${packageId}/container/schemas?limit=1&sort=createdAt`,
    ...(as ? { as } : {}),
  });
  const first =
    listed.statusCode === 200 ? json<{ items: { id: string }[] }>(listed).items[0] : undefined;
  if (first) return first.id;
  const created = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/schemas`,
    payload: assetBody('SCHEMA', `${name} schema`),
    ...(as ? { as } : {}),
  });
  if (created.statusCode !== 201)
    throw new Error(
      `creating the schema of mapping ${name}: ${created.statusCode} ${created.body}`,
    );
  return json<{ id: string }>(created).id;
}

/** Creates an asset of `type` in a package through the API (as the administrator by default). */
export async function createAsset(
  t: TestApp,
  packageId: string,
  type: AssetType,
  fields: { name: string; description?: string; content?: unknown },
  as?: TestUser,
): Promise<CreatedAsset> {
  const segment = ASSET_PATH_SEGMENTS[type];
  const schemaId =
    type === 'MAPPING' ? await schemaForMapping(t, packageId, fields.name, as) : undefined;
  const response = await t.request({
    method: 'POST',
    url: `/api/packages/${packageId}/${segment}`,
    payload: {
      ...assetBody(type, fields.name, fields.content, schemaId),
      description: fields.description ?? '',
    },
    ...(as ? { as } : {}),
  });
  if (response.statusCode !== 201)
    throw new Error(`creating ${type} ${fields.name}: ${response.statusCode} ${response.body}`);
  const created = json<{ id: string; version: number }>(response);
  return { id: created.id, type, segment, name: fields.name, version: created.version };
}

/** One asset of every type in the package, named `<prefix> <type>`. */
export async function createAssetOfEveryType(
  t: TestApp,
  packageId: string,
  prefix: string,
  description = '',
): Promise<Record<AssetType, CreatedAsset>> {
  // The schema first: the mapping names it.
  const create = async (type: AssetType) =>
    [
      type,
      await createAsset(t, packageId, type, { name: `${prefix} ${type}`, description }),
    ] as const;
  const schema = await create('SCHEMA');
  const entries = [
    schema,
    ...(await Promise.all(ASSET_TYPES.filter((type) => type !== 'SCHEMA').map(create))),
  ];
  return Object.fromEntries(entries) as Record<AssetType, CreatedAsset>;
}

/**
 * The same user with another access token: a new session whose last MFA confirmation was at
 * `mfaAt` (null: never), as a real sign-in would start it.
 */
export async function withSession(
  t: TestApp,
  user: TestUser,
  mfaAt: Date | null,
): Promise<TestUser> {
  const session = await t.app
    .get(SessionsService)
    .start(t.app.get(DataSource).manager, user, mfaAt, { userAgent: 'test', ip: null });
  const { token } = t.app.get(AccessTokens).issueAccess({ id: user.id, role: user.role }, session);
  return { ...user, token };
}

/** A new session whose MFA confirmation is older than the step-up window. */
export function withStaleMfa(t: TestApp, user: TestUser): Promise<TestUser> {
  return withSession(
    t,
    user,
    new Date(Date.now() - (t.config.mfaStepUpMaxAgeSeconds + 600) * 1000),
  );
}

/** A caller that sends an arbitrary bearer token (an API token, a forged JWT). */
export function bearer(user: TestUser, token: string): TestUser {
  return { ...user, token };
}

/** An API token as POST /api/tokens answers it (the only time `token` is shown). */
export interface CreatedApiToken {
  id: string;
  token: string;
  name: string;
  hint: string;
  permissions: Permission[];
  packageIds: string[] | null;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** Creates an API token for `owner` (expects 201). */
export async function createApiToken(
  t: TestApp,
  owner: TestUser,
  body: { name: string; permissions: Permission[]; packageIds?: string[]; expiresAt?: string },
): Promise<CreatedApiToken> {
  const response = await t.request({
    method: 'POST',
    url: '/api/tokens',
    payload: body,
    as: owner,
  });
  if (response.statusCode !== 201)
    throw new Error(`creating API token ${body.name}: ${response.statusCode} ${response.body}`);
  return json<CreatedApiToken>(response);
}

/** One operation of the OpenAPI document. */
export interface Operation {
  readonly method: string;
  /** OpenAPI path, `{param}` style, with the /api prefix. */
  readonly path: string;
  /** `x-permission` as published (undefined when missing). */
  readonly permission: string | undefined;
  readonly pathParams: readonly string[];
  /** Required query parameters (e.g. `environment`), which a probe must send. */
  readonly requiredQueryParams: readonly string[];
  readonly headerParams: readonly string[];
  readonly hasBody: boolean;
  /** Media types the request body accepts. */
  readonly bodyTypes: readonly string[];
}

interface OpenApiOperation {
  'x-permission'?: string;
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content?: Record<string, unknown> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Every operation the running app publishes at /api/docs-json. */
export async function openApiOperations(t: TestApp): Promise<Operation[]> {
  const response = await t.request({ method: 'GET', url: '/api/docs-json', as: null });
  if (response.statusCode !== 200)
    throw new Error(`GET /api/docs-json: ${response.statusCode} ${response.body}`);
  const document = json<{ paths: Record<string, Record<string, OpenApiOperation>> }>(response);
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        permission: operation['x-permission'],
        pathParams: (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        requiredQueryParams: (operation.parameters ?? [])
          .filter((p) => p.in === 'query' && p.required === true)
          .map((p) => p.name),
        headerParams: (operation.parameters ?? [])
          .filter((p) => p.in === 'header')
          .map((p) => p.name.toLowerCase()),
        hasBody: operation.requestBody !== undefined,
        bodyTypes: Object.keys(operation.requestBody?.content ?? {}),
      })),
  );
}

export function isKnownPermission(value: string | undefined): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value ?? '');
}

/** `GET /api/x/{id}` */
export function operationName(operation: Pick<Operation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}

/**
 * Values that make a required query parameter valid (environment codes for the adapter
 * routes), so a probe reaches the guard-checked service instead of a 400 on the query.
 */
export const QUERY_VALUES: Readonly<Record<string, string>> = {
  environment: 'DEV',
  from: 'DEV',
  to: 'PROD',
};

/** `url` with the operation's required query parameters (values from QUERY_VALUES). */
export function withRequiredQuery(url: string, operation: Pick<Operation, 'requiredQueryParams'>) {
  const query = operation.requiredQueryParams.map((name) => {
    const value = QUERY_VALUES[name];
    if (value === undefined) throw new Error(`no probe value for query parameter ${name}`);
    return `${name}=${encodeURIComponent(value)}`;
  });
  return query.length === 0 ? url : `${url}?${query.join('&')}`;
}

/** Fills `{param}` placeholders. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for path parameter ${name} of ${path}`);
    return value;
  });
}

/** The URL segment right before `{param}` (`schemas` for `{schemaId}` in `/schemas/{schemaId}`). */
export function segmentBefore(path: string, param: string): string | undefined {
  const parts = path.split('/');
  const index = parts.indexOf(`{${param}}`);
  return index > 0 ? parts[index - 1] : undefined;
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the order of results. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** Polls `check` until it returns true (for rows written after the response, e.g. security events). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
