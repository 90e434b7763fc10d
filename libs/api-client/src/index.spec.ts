import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import path from 'node:path';

import { createApiClient, isProblemDetails, type PackageDto, type PackagePageDto } from './index';

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
  components: { schemas: Record<string, unknown> };
}

const document = JSON.parse(
  readFileSync(path.join(__dirname, '../openapi.json'), 'utf8'),
) as OpenApiDocument;

describe('committed OpenAPI document', () => {
  // Every route the API has today; later issues add more (generate:check keeps the file current).
  it.each([
    ['get', '/api/health'],
    ['get', '/metrics'],
    ['get', '/api/packages'],
    ['post', '/api/packages'],
    ['get', '/api/packages/{id}'],
    ['put', '/api/packages/{id}'],
    ['delete', '/api/packages/{id}'],
    ['post', '/api/packages/{id}/restore'],
    ['get', '/api/packages/{id}/container/contents'],
    ['get', '/api/packages/{id}/container/schemas'],
    ['get', '/api/packages/{id}/container/adapters'],
    ['get', '/api/packages/{id}/container/mappings'],
    ['get', '/api/packages/{id}/container/flows'],
    ['get', '/api/assets'],
    // Sign-in and the signed-in user's account (the console's auth pages use these).
    ['post', '/api/auth/login'],
    ['post', '/api/auth/login/mfa'],
    ['post', '/api/auth/refresh'],
    ['post', '/api/auth/logout'],
    ['get', '/api/auth/me'],
    ['post', '/api/auth/mfa/enrolment'],
    ['post', '/api/auth/mfa/enrolment/confirm'],
    ...[
      'schemas/{schemaId}',
      'adapters/{adapterId}',
      'mappings/{mappingId}',
      'flows/{flowId}',
    ].flatMap((asset) => {
      const collection = `/api/packages/{id}/${asset.split('/')[0]}`;
      const item = `/api/packages/{id}/${asset}`;
      return [
        ['post', collection],
        ['get', item],
        ['put', item],
        ['delete', item],
        ['post', `${item}/restore`],
      ];
    }),
  ])('documents %s %s', (method, route) => {
    expect(document.paths[route]?.[method]?.operationId).toEqual(expect.any(String));
  });

  it('is OpenAPI 3 with a schema for every DTO the console reads', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'PackageDto',
        'PackagePageDto',
        'ContainerContentsDto',
        'AssetDto',
        'ProblemDto',
        'LoginResultDto',
        'SessionDto',
        'MeDto',
        'MfaEnrolmentDto',
        'MfaConfirmedDto',
      ]),
    );
  });

  it('asks for a bearer token on every route but sign-in, refresh, sign-out and health', () => {
    const open = Object.entries(document.paths).flatMap(([route, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => !operation.security?.length)
        .map(([method]) => `${method} ${route}`),
    );
    expect(open.sort()).toEqual([
      'get /api/health',
      'post /api/auth/login',
      'post /api/auth/login/mfa',
      'post /api/auth/logout',
      'post /api/auth/refresh',
    ]);
  });

  it('keeps its keys sorted, so regenerating never reorders it', () => {
    const routes = Object.keys(document.paths);
    expect(routes).toEqual([...routes].sort());
  });
});

describe('createApiClient', () => {
  let server: Server;
  let baseUrl: string;
  const received: { method?: string; url?: string; body: string }[] = [];

  const page: PackagePageDto = {
    items: [
      {
        id: '3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10',
        name: 'Order to Cash',
        description: 'Orders to the ERP',
        tags: ['sales'],
        owner: null,
        version: 1,
        assetCounts: { SCHEMA: 2, ADAPTER: 0, MAPPING: 0, FLOW: 1 },
        totalAssets: 3,
        createdAt: '2026-11-25T14:21:15.123Z',
        updatedAt: '2026-11-25T14:21:15.123Z',
        createdBy: 'system',
        updatedBy: 'system',
        updatedByName: null,
        deletedAt: null,
      },
    ],
    total: 3,
    totalIsEstimate: false,
    nextCursor: 'next-page',
  };

  const readBody = async (request: IncomingMessage): Promise<string> => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    return body;
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      void readBody(request).then((body) => {
        received.push({ method: request.method, url: request.url, body });
        if (request.url?.startsWith('/api/packages?')) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify(page));
          return;
        }
        response.writeHead(404, { 'content-type': 'application/problem+json' });
        response.end(
          JSON.stringify({
            type: 'https://integrixs.io/problems/not-found',
            title: 'Not found',
            status: 404,
            detail: 'Package 7d0f3f2e-1c9b-4c7e-9a51-3d2f7f3b9c10 does not exist',
            instance: request.url,
            code: 'not_found',
            errors: [],
            traceId: 'trace-1',
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  it('sends the typed query of GET /api/packages and returns the typed page', async () => {
    const client = createApiClient(baseUrl);
    const { data, error } = await client.GET('/api/packages', {
      params: { query: { q: 'order cash', limit: 20, cursor: 'abc', sort: '-updatedAt' } },
    });

    expect(error).toBeUndefined();
    expect(received).toHaveLength(1);
    const url = new URL(received[0]?.url ?? '', baseUrl);
    expect(received[0]?.method).toBe('GET');
    expect(url.pathname).toBe('/api/packages');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'order cash',
      limit: '20',
      cursor: 'abc',
      sort: '-updatedAt',
    });

    // Compile-time: the answer is a PackagePageDto, its items PackageDto (checked by typecheck).
    const first: PackageDto | undefined = data?.items[0];
    const cursor: string | null | undefined = data?.nextCursor;
    expect(first?.assetCounts.SCHEMA).toBe(2);
    expect(cursor).toBe('next-page');
  });

  it('fills path parameters and returns problem details as the typed error', async () => {
    const id = '7d0f3f2e-1c9b-4c7e-9a51-3d2f7f3b9c10';
    const client = createApiClient(baseUrl);
    const { data, error, response } = await client.GET('/api/packages/{id}/container/contents', {
      params: { path: { id } },
    });

    expect(received[0]?.url).toBe(`/api/packages/${id}/container/contents`);
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(isProblemDetails(error)).toBe(true);
    const detail: string | undefined = error?.detail;
    expect(detail).toBe(`Package ${id} does not exist`);
  });

  it('uses the fetch implementation it is given', async () => {
    const seen: string[] = [];
    const client = createApiClient(baseUrl, (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request);
    });
    await client.POST('/api/packages/{id}/schemas', {
      params: { path: { id: '3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10' } },
      body: { name: 'Invoice', type: 'XSD', document: '<xs:schema/>' },
    });
    expect(seen).toEqual(['POST /api/packages/3f8a4a4e-93b4-4a53-9d3a-5b8f1f1c9a10/schemas']);
    expect(JSON.parse(received[0]?.body ?? 'null')).toEqual({
      name: 'Invoice',
      type: 'XSD',
      document: '<xs:schema/>',
    });
  });

  it('rejects calls the API does not have, at compile time', () => {
    const client = createApiClient(baseUrl);
    const calls = [
      // @ts-expect-error: no such route
      () => client.GET('/api/nope'),
      // @ts-expect-error: `limit` is a number
      () => client.GET('/api/packages', { params: { query: { limit: 'ten' } } }),
      // @ts-expect-error: the path needs `id`
      () => client.GET('/api/packages/{id}', { params: { path: {} } }),
    ];
    expect(calls).toHaveLength(3); // never called: the assertion is that typecheck passes
  });
});

describe('isProblemDetails', () => {
  it('accepts problem details and refuses anything else', () => {
    expect(isProblemDetails({ status: 400, title: 'Bad', detail: 'name: required' })).toBe(true);
    expect(isProblemDetails('Internal Server Error')).toBe(false);
    expect(isProblemDetails(null)).toBe(false);
    expect(isProblemDetails({ message: 'x' })).toBe(false);
  });
});
