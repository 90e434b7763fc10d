import { randomUUID } from 'node:crypto';

import {
  createAssetOfEveryType,
  createPackage,
  fillPath,
  problemOf,
} from './support/access-fixtures';
import { noteXsd } from './support/schemas';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * One cursor format on every list (issue 9): the same opaque base64url shape `{ s, k }` (the
 * order it was issued for, the key values of the last row), decoded and validated in one place,
 * so a cursor forged, out of range or issued by another list is a 400 naming `cursor`.
 */
interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
}
interface Page {
  items: unknown[];
  total: number;
  nextCursor: string | null;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (cursor: string): unknown =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

describe('list cursors', () => {
  let t: TestApp;
  let listRoutes: string[];
  /** The searchable asset and package lists and the runtime's: `total` is capped and flagged (`totalIsEstimate`). */
  let searchable: Set<string>;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const alpha = await createPackage(t, 'Alpha');
    await createPackage(t, 'Beta');
    const assets = await createAssetOfEveryType(t, alpha, 'Alpha');
    await createAssetOfEveryType(t, alpha, 'More');
    const schemaUrl = `/api/packages/${alpha}/schemas/${assets.SCHEMA.id}`;
    const changed = await t.request({
      method: 'PUT',
      url: schemaUrl,
      payload: { version: assets.SCHEMA.version, document: noteXsd({ children: ['to'] }) },
    });
    expect(changed.statusCode).toBe(200);
    await t.createUser({ role: 'VIEWER', packages: { [alpha]: 'VIEWER' } });
    Object.assign(values, {
      id: alpha,
      schemaId: assets.SCHEMA.id,
      mappingId: assets.MAPPING.id,
      flowId: assets.FLOW.id,
    });
    const doc = json<OpenApi>(await t.request({ method: 'GET', url: '/api/docs-json' }));
    listRoutes = Object.entries(doc.paths)
      .filter(([, item]) => item['get']?.parameters?.some((p) => p.name === 'cursor'))
      .map(([path]) => fillPath(path, values));
    searchable = new Set(
      listRoutes.filter(
        (url) =>
          url === '/api/packages' ||
          url === '/api/assets' ||
          url.includes('/container/') ||
          // The runtime's lists count up to the same cap (they grow without bound).
          url.endsWith('/executions') ||
          url.endsWith('/dead-letters'),
      ),
    );
  });
  afterAll(() => t.close());

  const pageOf = async (url: string) => {
    const response = await t.request({ method: 'GET', url });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return json<Page>(response);
  };

  it('answers { items, total, nextCursor } with one cursor shape on every list route', async () => {
    expect([...searchable]).toEqual(
      expect.arrayContaining([
        '/api/packages',
        '/api/assets',
        `/api/packages/${values['id']}/container/schemas`,
      ]),
    );
    expect(listRoutes).toEqual(
      expect.arrayContaining([
        '/api/packages',
        '/api/assets',
        '/api/audit',
        `/api/packages/${values['id']}/schemas/${values['schemaId']}/versions`,
      ]),
    );
    const shapes: Record<string, unknown> = {};
    for (const url of listRoutes) {
      const page = await pageOf(`${url}?limit=1`);
      expect({ url, keys: Object.keys(page).sort() }).toEqual({
        url,
        keys: searchable.has(url)
          ? ['items', 'nextCursor', 'total', 'totalIsEstimate']
          : ['items', 'nextCursor', 'total'],
      });
      if (page.nextCursor === null) continue;
      const cursor = decode(page.nextCursor) as { s: unknown; k: unknown };
      shapes[url] = {
        keys: Object.keys(cursor).sort(),
        order: typeof cursor.s,
        values: Array.isArray(cursor.k),
      };
    }
    expect(Object.keys(shapes).length).toBeGreaterThanOrEqual(5);
    for (const [url, shape] of Object.entries(shapes)) {
      expect({ url, shape }).toEqual({
        url,
        shape: { keys: ['k', 's'], order: 'string', values: true },
      });
    }
  });

  it('follows its cursors to the end of every list, each item once', async () => {
    for (const url of listRoutes) {
      const first = await pageOf(url);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = await pageOf(`${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((item) => JSON.stringify(item)));
        cursor = page.nextCursor;
      } while (cursor);
      expect({ url, seen: seen.length }).toEqual({ url, seen: first.total });
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  it('refuses a cursor issued by another list, naming cursor', async () => {
    const audit = (await pageOf('/api/audit?limit=1')).nextCursor;
    const versions = (
      await pageOf(`/api/packages/${values['id']}/schemas/${values['schemaId']}/versions?limit=1`)
    ).nextCursor;
    const packages = (await pageOf('/api/packages?limit=1&sort=-createdAt')).nextCursor;
    expect([audit, versions, packages].every((c) => typeof c === 'string')).toBe(true);
    const versionsUrl = `/api/packages/${values['id']}/schemas/${values['schemaId']}/versions`;
    for (const url of [
      `/api/packages?sort=-createdAt&cursor=${audit}`,
      `/api/packages?sort=-createdAt&cursor=${versions}`,
      `/api/audit?cursor=${packages}`,
      `/api/audit?cursor=${versions}`,
      `${versionsUrl}?cursor=${audit}`,
      `${versionsUrl}?cursor=${packages}`,
    ]) {
      const response = await t.request({ method: 'GET', url });
      expect({ url, status: response.statusCode, paths: problemOf(response).errors }).toEqual({
        url,
        status: 400,
        paths: [expect.objectContaining({ path: 'cursor' })],
      });
    }
  });

  it('refuses forged key values of the right shape (wrong type, out of range), naming cursor', async () => {
    const versionsUrl = `/api/packages/${values['id']}/schemas/${values['schemaId']}/versions`;
    const forged = [
      ...[2147483648, 1e20, -2147483649, 1.5, '2', null].map(
        (n) => `${versionsUrl}?cursor=${encode({ s: '-version', k: [n] })}`,
      ),
      `${versionsUrl}?cursor=2147483648`,
      `${versionsUrl}?cursor=${encode({ s: '-version', k: [2, 1] })}`,
      `/api/audit?cursor=${encode({ s: '-occurredAt', k: ['2026-02-30T00:00:00Z', randomUUID()] })}`,
      `/api/audit?cursor=${encode({ s: '-occurredAt', k: ['2026-01-01T00:00:00Z', 'x'] })}`,
      `/api/audit?cursor=${encode({ s: '-occurredAt', k: ['2026-01-01T00:00:00Z'] })}`,
      `/api/packages?cursor=${encode({ s: 'name', k: ['a\u0000b', randomUUID()] })}`,
      `/api/packages?cursor=${encode({ s: 'name', k: [7, randomUUID()] })}`,
      `/api/packages?sort=createdAt&cursor=${encode({ s: 'createdAt', k: ["' OR 1=1--", randomUUID()] })}`,
      `/api/packages?cursor=${encode({ s: 'name', v: 'a', id: randomUUID() })}`,
      `/api/packages?cursor=${encode(['a', randomUUID()])}`,
    ];
    for (const url of forged) {
      const response = await t.request({ method: 'GET', url });
      expect({ url, status: response.statusCode, paths: problemOf(response).errors }).toEqual({
        url,
        status: 400,
        paths: [expect.objectContaining({ path: 'cursor' })],
      });
    }
  });
});
