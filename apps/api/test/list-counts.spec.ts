import { randomUUID } from 'node:crypto';

import { createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * Honest, cheap counts on the searchable lists (issue 9): `total` is exact up to LIST_COUNT_CAP
 * matches; past it, counting stops and `total` is PostgreSQL's estimate, flagged by
 * `totalIsEstimate` (unless the first page holds every match: then it is its own count). The cap
 * is 3 here, so a handful of rows crosses it.
 */
interface Page {
  items: { id: string; name: string }[];
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

const CAP = 3;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('list counts past the cap', () => {
  let t: TestApp;
  let packageId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { listCountCap: CAP } });
    packageId = await createPackage(t, 'Counted');
    for (const name of ['Second', 'Third', 'Fourth']) await createPackage(t, name);
    // Rows straight in SQL: what is counted is the table, however the rows got there.
    const insert = (type: string, name: string) =>
      t.db.pool.query(
        `INSERT INTO package_assets (package_id, type, name, created_by, updated_by)
         VALUES ($1, $2, $3, 'test', 'test')`,
        [packageId, type, name],
      );
    for (let i = 1; i <= 7; i++) await insert('SCHEMA', `Invoice ${i}`);
    for (let i = 1; i <= CAP; i++) await insert('SCHEMA', `Order ${i}`);
    for (let i = 1; i <= CAP + 1; i++) await insert('FLOW', `Order flow ${i}`);
    await t.db.pool.query('ANALYZE package_assets');
  });
  afterAll(() => t.close());

  const page = async (url: string): Promise<Page> => {
    const response = await t.request({ method: 'GET', url });
    expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
    return json<Page>(response);
  };

  it('counts exactly up to the cap', async () => {
    const orders = await page(`/api/packages/${packageId}/container/schemas?q=order&limit=1`);
    expect(orders).toMatchObject({ total: CAP, totalIsEstimate: false });
    expect(orders.items).toHaveLength(1);
    const few = await page('/api/assets?q=invoice%201');
    expect(few).toMatchObject({ total: 1, totalIsEstimate: false, nextCursor: null });
  });

  it('estimates past the cap for whoever may read every package, never below what it saw', async () => {
    for (const url of [
      '/api/assets?q=invoice&limit=2',
      '/api/assets?q=order&limit=2',
      '/api/packages?limit=2',
    ]) {
      const counted = await page(url);
      expect({ url, totalIsEstimate: counted.totalIsEstimate }).toEqual({
        url,
        totalIsEstimate: true,
      });
      expect(counted.total).toBeGreaterThan(CAP);
    }
  });

  it('answers "more than the cap" where statistics over every package would tell too much', async () => {
    for (const url of [
      `/api/packages/${packageId}/container/schemas?q=invoice&limit=2`,
      `/api/packages/${packageId}/container/flows?q=order&limit=2`,
    ]) {
      expect({ url, ...(await page(url)) }).toMatchObject({
        url,
        total: CAP + 1,
        totalIsEstimate: true,
      });
    }
    const member = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    for (const url of ['/api/assets?q=invoice&limit=2', '/api/packages?limit=1']) {
      const response = await t.request({ method: 'GET', url, as: member });
      expect(response.statusCode).toBe(200);
      expect({ url, ...json<Page>(response) }).toMatchObject(
        url.startsWith('/api/assets')
          ? { url, total: CAP + 1, totalIsEstimate: true }
          : { url, total: 1, totalIsEstimate: false },
      );
    }
  });

  it('is exact past the cap when the first page holds every match', async () => {
    const all = await page('/api/assets?q=invoice');
    expect(all).toMatchObject({ total: 7, totalIsEstimate: false, nextCursor: null });
    const packages = await page('/api/packages');
    expect(packages).toMatchObject({ total: 4, totalIsEstimate: false });
  });

  it('pages through every match of an estimated list, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const next: Page = await page(
        `/api/assets?q=invoice&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(next.totalIsEstimate).toBe(true);
      seen.push(...next.items.map((item) => item.name));
      cursor = next.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `Invoice ${i}`));
  });

  it('still counts an empty page past the last match', async () => {
    const after = encode({ s: 'name', k: ['zzzz', randomUUID()] });
    const empty = await page(
      `/api/packages/${packageId}/container/schemas?q=order&cursor=${after}`,
    );
    expect(empty).toEqual({ items: [], total: CAP, totalIsEstimate: false, nextCursor: null });
    const none = await page('/api/assets?q=nothingmatchesthis');
    expect(none).toEqual({ items: [], total: 0, totalIsEstimate: false, nextCursor: null });
  });

  it('counts only what the filters leave, exactly when that is under the cap', async () => {
    const flows = await page('/api/assets?q=order&type=FLOW&limit=1');
    expect(flows).toMatchObject({ totalIsEstimate: true });
    const named = await page('/api/packages?q=counted&limit=1');
    expect(named).toMatchObject({ total: 1, totalIsEstimate: false });
    expect(named.items.map((p) => p.name)).toEqual(['Counted']);
  });
});
