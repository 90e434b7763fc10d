import { randomUUID } from 'node:crypto';

import { type Response as InjectResponse } from 'light-my-request';

import {
  createApiToken,
  createAssetOfEveryType,
  createPackage,
  fillPath,
  mapLimit,
  problemOf,
  QUERY_VALUES,
  withRequiredQuery,
} from './support/access-fixtures';
import { json, startTestApp, type TestApp, type TestUser } from './support/test-app';

/**
 * SQL injection (issue 8: held in the black-box probe; kept holding here). Every query parameter
 * of every GET route the OpenAPI document publishes, every path parameter and a few JSON fields
 * get classic payloads. Values are bound parameters everywhere, so: never a 5xx, a refused value
 * is a 400 naming its parameter, accepted text matches no more rows than harmless text, and the
 * tables are intact afterwards.
 */
const INJECTIONS = [
  "' OR 1=1--",
  "' OR '1'='1",
  "'); DROP TABLE users;--",
  "' UNION SELECT id, password_hash FROM users--",
  '1; SELECT pg_sleep(5)--',
  '\\',
  "\\'; --",
  '\u2019 OR \u20191\u2019=\u20191', // unicode quotes
  '\u02bc OR 1=1 \uff07--', // modifier apostrophe, fullwidth apostrophe
  '%27 OR 1=1--', // arrives as the literal text "%27" (encoded once more on the way)
  "$1' OR $$1$$=$$1",
  "' OR 1=1\u0000--",
  `'${'a'.repeat(5000)}`,
  // Look like ISO-8601 instants, yet PostgreSQL cannot take them as timestamps.
  '0000-01-01T00:00:00Z',
  '-0001-01-01',
  '+002026-01-01T00:00:00Z',
  '2026-12-31T23:59:61Z',
];
/** Text no fixture contains: what an unmatched filter answers. */
const HARMLESS = 'zzqharmless';

interface QueryParameter {
  name: string;
  in: string;
  required?: boolean;
}
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: QueryParameter[] }>>;
}
interface Route {
  path: string;
  pathParams: string[];
  queryParams: string[];
  requiredQueryParams: string[];
}
interface Page {
  items?: unknown[];
  total?: number;
}

const query = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;

/** The names the problem's `errors[].path` carry. */
const namedPaths = (response: InjectResponse) => problemOf(response).errors.map((e) => e.path);

describe('SQL injection through every list parameter, path parameter and JSON field', () => {
  let t: TestApp;
  let viewer: TestUser;
  let routes: Route[];
  const pathValues: Record<string, string> = {};
  const tableCounts = () =>
    t.db.pool
      .query<Record<string, number>>(
        `SELECT (SELECT count(*)::int FROM users) AS users,
                (SELECT count(*)::int FROM integration_packages) AS packages,
                (SELECT count(*)::int FROM package_assets) AS assets,
                (SELECT count(*)::int FROM package_members) AS members,
                (SELECT count(*)::int FROM api_tokens) AS tokens`,
      )
      .then((r) => r.rows[0]);
  let countsBefore: Record<string, number> | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    const alpha = await createPackage(t, 'Alpha', { description: 'first fixture' });
    const assets = await createAssetOfEveryType(t, alpha, 'Alpha', 'fixture asset');
    await createPackage(t, 'Beta');
    viewer = await t.createUser({ role: 'VIEWER', packages: { [alpha]: 'VIEWER' } });
    const token = await createApiToken(t, t.admin, { name: 'Sweep', permissions: ['asset:read'] });
    const sample = json<{ id: string }>(
      await t.request({
        method: 'POST',
        url: `/api/packages/${alpha}/mappings/${assets.MAPPING.id}/samples`,
        payload: { name: 'Sweep sample', input: '<Note/>' },
      }),
    );
    Object.assign(pathValues, {
      sampleId: sample.id,
      id: alpha,
      schemaId: assets.SCHEMA.id,
      adapterId: assets.ADAPTER.id,
      mappingId: assets.MAPPING.id,
      flowId: assets.FLOW.id,
      deploymentId: randomUUID(),
      messageId: randomUUID(),
      deadLetterId: randomUUID(),
      ruleId: randomUUID(),
      assetId: assets.SCHEMA.id,
      userId: viewer.id,
      tokenId: token.id,
      n: '1',
      env: 'DEV',
    });
    const doc = json<OpenApi>(await t.request({ method: 'GET', url: '/api/docs-json' }));
    routes = Object.entries(doc.paths)
      .filter(([, item]) => item['get'] !== undefined)
      .map(([path, item]) => {
        const parameters = item['get']?.parameters ?? [];
        return {
          path,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          requiredQueryParams: parameters
            .filter((p) => p.in === 'query' && p.required === true)
            .map((p) => p.name),
        };
      });
    countsBefore = await tableCounts();
  });
  afterAll(() => t.close());

  const urlOf = (route: Route) => fillPath(route.path, pathValues);
  /** `route` with `name=value` and valid values for its other required query parameters. */
  const probeUrl = (route: Route, name: string, value: string) =>
    `${urlOf(route)}?${[
      query(name, value),
      ...route.requiredQueryParams
        .filter((other) => other !== name)
        .map((other) => query(other, QUERY_VALUES[other] ?? '')),
    ].join('&')}`;

  it('publishes the list routes and filters this sweep relies on', () => {
    const params = (path: string) => routes.find((r) => r.path === path)?.queryParams ?? [];
    for (const path of ['/api/packages', '/api/assets', '/api/packages/{id}/container/schemas'])
      expect(params(path)).toEqual(expect.arrayContaining(['q', 'tag', 'sort', 'cursor', 'limit']));
    expect(params('/api/assets')).toEqual(expect.arrayContaining(['type', 'status']));
    expect(params('/api/audit')).toEqual(expect.arrayContaining(['actor', 'entityType', 'from']));
    expect(params('/api/packages/{id}/audit')).toContain('action');
  });

  it('answers every injected query parameter 200 with no extra rows, or 400 naming it, never 5xx', async () => {
    const cases = routes.flatMap((route) => route.queryParams.map((name) => ({ route, name })));
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const failures = (
      await mapLimit(cases, 4, async ({ route, name }) => {
        const harmless = await t.request({ method: 'GET', url: probeUrl(route, name, HARMLESS) });
        const typed = harmless.statusCode === 400 && namedPaths(harmless).includes(name);
        const found: string[] = [];
        for (const value of INJECTIONS) {
          const response = await t.request({ method: 'GET', url: probeUrl(route, name, value) });
          const said = `${route.path} ?${name}=${JSON.stringify(value.slice(0, 40))} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          if (response.statusCode >= 500) found.push(said);
          else if (response.statusCode === 400) {
            if (!namedPaths(response).includes(name)) found.push(`${said} (parameter not named)`);
          } else if (typed) found.push(`${said} (harmless text was refused, this was not)`);
          else if (response.statusCode !== harmless.statusCode)
            found.push(`${said} (harmless text answered ${harmless.statusCode})`);
          else if (response.statusCode === 200) {
            const [got, baseline] = [json<Page>(response), json<Page>(harmless)];
            if ((got.items?.length ?? 0) > (baseline.items?.length ?? 0))
              found.push(`${said} (more rows than for harmless text)`);
            if ((got.total ?? 0) > (baseline.total ?? 0)) found.push(`${said} (larger total)`);
          }
        }
        return found;
      })
    ).flat();
    expect(failures).toEqual([]);
  }, 120_000);

  it('finds nothing for quote-laden text in q, tag and the audit filters (200, no rows)', async () => {
    for (const url of [
      `/api/packages?${query('q', "' OR 1=1--")}`,
      `/api/packages?${query('tag', "' OR 1=1--")}`,
      `/api/assets?${query('q', "'); DROP TABLE users;--")}`,
      `/api/packages/${pathValues['id']}/container/flows?${query('q', '\\')}`,
      `/api/audit?${query('actor', "' OR 1=1--")}`,
      `/api/audit?${query('entityType', "asset' OR 'a'='a")}`,
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect({ url, items: json<Page>(response).items }).toEqual({ url, items: [] });
    }
  });

  it('refuses a forged cursor of the right shape carrying SQL, naming cursor', async () => {
    // The one cursor format (core/listing/cursor.ts): base64url of { s: order, k: key values }.
    const cursor = (order: string, keys: unknown[]) =>
      Buffer.from(JSON.stringify({ s: order, k: keys })).toString('base64url');
    const failures: string[] = [];
    const values = [...INJECTIONS, '2026-02-30 00:00:00+00', '2026-02-30T00:00:00.000000+00:00'];
    for (const route of routes.filter((r) => r.queryParams.includes('cursor'))) {
      const sorted = route.queryParams.includes('sort');
      // Lists without `sort` page in one fixed order: the audit log's or the versions'.
      const attempts = sorted
        ? values.flatMap((v) =>
            ['createdAt', '-updatedAt'].map(
              (sort) => `sort=${sort}&cursor=${cursor(sort, [v, randomUUID()])}`,
            ),
          )
        : [
            ...values.map((v) => `cursor=${cursor('-occurredAt', [v, randomUUID()])}`),
            `cursor=${cursor('-occurredAt', ['2026-01-01T00:00:00Z', '-'.repeat(36)])}`,
            ...values.map((v) => `cursor=${cursor('-version', [v])}`),
            `cursor=${cursor('-version', [2 ** 31])}`,
          ];
      for (const attempt of attempts) {
        const response = await t.request({ method: 'GET', url: `${urlOf(route)}?${attempt}` });
        const said = `${route.path}?${attempt} → ${response.statusCode} ${response.body.slice(0, 200)}`;
        if (response.statusCode !== 400 || !namedPaths(response).includes('cursor'))
          failures.push(said);
      }
    }
    expect(failures).toEqual([]);
  });

  it('still follows the cursors it issues on every list route', async () => {
    let followed = 0;
    for (const route of routes.filter((r) => r.queryParams.includes('cursor'))) {
      for (const sort of route.queryParams.includes('sort') ? ['name', '-createdAt'] : ['']) {
        const first = `${urlOf(route)}?limit=1${sort ? `&sort=${sort}` : ''}`;
        const page = json<{ nextCursor: string | null }>(
          await t.request({ method: 'GET', url: first }),
        );
        if (!page.nextCursor) continue;
        const next = await t.request({ method: 'GET', url: `${first}&cursor=${page.nextCursor}` });
        expect({ url: first, status: next.statusCode }).toEqual({ url: first, status: 200 });
        followed += 1;
      }
    }
    expect(followed).toBeGreaterThanOrEqual(6);
  });

  it('answers an injected path parameter 400 naming it (an overlong one: naming the url), never 5xx', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.pathParams.length > 0)) {
      for (const param of route.pathParams) {
        for (const value of INJECTIONS) {
          // Required query parameters get valid values: only the path parameter is injected.
          const url = withRequiredQuery(
            fillPath(route.path, { ...pathValues, [param]: encodeURIComponent(value) }),
            route,
          );
          const response = await t.request({ method: 'GET', url });
          const said = `${route.path} {${param}}=${JSON.stringify(value.slice(0, 40))} → ${response.statusCode} ${response.body.slice(0, 200)}`;
          const named = response.statusCode === 400 && namedPaths(response).includes(param);
          // Past the router's parameter length cap (200) the router refuses the URL itself.
          const unrouted =
            value.length > 200 &&
            response.statusCode === 400 &&
            namedPaths(response).includes('url');
          if (!named && !unrouted) failures.push(said);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 60_000);

  it('stores quote-laden JSON fields verbatim and finds them only by their own words', async () => {
    const name = "Robert'); DROP TABLE users;--";
    const created = await t.request({
      method: 'POST',
      url: '/api/packages',
      payload: { name, description: "' OR 1=1--", owner: "x' OR 'a'='a" },
    });
    expect(created.statusCode).toBe(201);
    const id = json<{ id: string }>(created).id;
    const read = json(await t.request({ method: 'GET', url: `/api/packages/${id}` }));
    expect(read).toMatchObject({ name, description: "' OR 1=1--", owner: "x' OR 'a'='a" });
    const found = json<Page>(
      await t.request({ method: 'GET', url: `/api/packages?${query('q', 'robert drop')}` }),
    );
    expect(found.items).toEqual([expect.objectContaining({ id, name })]);
    // Put the table back as it was for the final check.
    expect((await t.request({ method: 'DELETE', url: `/api/packages/${id}` })).statusCode).toBe(
      204,
    );
    await t.db.pool.query('DELETE FROM integration_packages WHERE id = $1', [id]);
  });

  it('does not sign anyone in with SQL in the username or password (401)', async () => {
    for (const username of ["' OR '1'='1", "root' --", `${viewer.username}' --`]) {
      const response = await t.request({
        method: 'POST',
        url: '/api/auth/login',
        as: null,
        payload: { username, password: "' OR '1'='1" },
      });
      expect({ username, status: response.statusCode }).toEqual({ username, status: 401 });
    }
  });

  it('leaves every table intact', async () => {
    expect(await tableCounts()).toEqual(countsBefore);
  });
});
