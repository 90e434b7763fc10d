import { type Pool, type QueryConfig } from 'pg';
import { DataSource } from 'typeorm';

import { createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * A one-word search by a caller who may read every package runs one statement whose cached plan
 * fits every word (asset-search-count.ts plannedSearchPage): it pages over the term index's
 * sample for a rare word and walks the name index for a frequent one, chosen at run time. These
 * pin that both branches answer exactly what the general statement answers (`heron heron` has the
 * same one lexeme, but is not one word, so it is planned for its values as before), page after
 * page, and that the statement runs by name. The cap is 3: the index samples 8 entries.
 */
interface Page {
  items: { id: string; name: string; packageName: string }[];
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

const CAP = 3;

describe('planned one-word asset search', () => {
  let t: TestApp;
  let packageId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { listCountCap: CAP } });
    packageId = await createPackage(t, 'Birds');
    const other = await createPackage(t, 'More birds');
    // 12 herons (past the 8-entry sample: the name walk), 3 ospreys (the sample holds them all),
    // deleted matches on both sides, and names in mixed case so the order is lower(name), id.
    const names = [
      ...Array.from({ length: 6 }, (_, i) => [packageId, `heron ${i}`]),
      ...Array.from({ length: 6 }, (_, i) => [other, `Heron ${5 - i}`]),
      [packageId, 'Osprey nest'],
      [other, 'osprey Watch'],
      [packageId, 'OSPREYS'],
    ];
    for (const [id, name] of names) await insert(id ?? packageId, name ?? '');
    const deleted = [await insert(packageId, 'Heron gone'), await insert(other, 'Osprey gone')];
    await t.db.pool.query('UPDATE package_assets SET deleted_at = now() WHERE id = ANY($1)', [
      deleted,
    ]);
  });
  afterAll(() => t.close());

  const insert = async (id: string, name: string): Promise<string> => {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO package_assets (package_id, type, name, description, created_by, updated_by)
       VALUES ($1, 'FLOW', $2, '', 'test', 'test') RETURNING id`,
      [id, name],
    );
    return rows[0]?.id ?? '';
  };

  /** Every page of a search, `limit` items at a time, following the cursors. */
  const pages = async (q: string, limit: number): Promise<Page[]> => {
    const answered: Page[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const url = `/api/assets?q=${encodeURIComponent(q)}&limit=${limit}${after}`;
      const response = await t.request({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      const page = json<Page>(response);
      answered.push(page);
      cursor = page.nextCursor;
    }
    return answered;
  };

  it('answers a frequent and a rare word exactly as the general statement does, page by page', async () => {
    for (const [word, matches] of [
      ['heron', 12],
      ['osp', 3],
      ['Heron', 12],
      ['nowhere', 0],
    ] as const) {
      for (const limit of [1, 2, 5, 50]) {
        const planned = await pages(word, limit);
        expect({ word, limit, pages: planned }).toEqual({
          word,
          limit,
          pages: await pages(`${word} ${word}`, limit),
        });
        const ids = planned.flatMap((page) => page.items.map((item) => item.id));
        expect({ word, limit, seen: ids.length, once: new Set(ids).size }).toEqual({
          word,
          limit,
          seen: matches,
          once: matches,
        });
      }
    }
  });

  it('runs a one-word search as one named statement, and any other search as before', async () => {
    const pool = (t.app.get(DataSource).driver as unknown as { master: Pool }).master;
    const original = pool.query.bind(pool) as (config: unknown, values?: unknown) => unknown;
    const names: (string | undefined)[] = [];
    const spy = jest
      .spyOn(pool, 'query')
      .mockImplementation((config: unknown, values?: unknown) => {
        names.push(typeof config === 'object' ? (config as QueryConfig).name : undefined);
        return original(config, values);
      });
    const namedIn = async (search: () => Promise<unknown>): Promise<(string | undefined)[]> => {
      names.length = 0;
      await search();
      return names.filter((name) => name !== undefined);
    };
    try {
      const frequent = await namedIn(() => pages('heron', 50));
      const rare = await namedIn(() => pages('osprey', 50));
      expect(frequent).toHaveLength(1);
      expect(rare).toEqual(frequent);
      expect(await namedIn(() => pages('heron osprey', 50))).toEqual([]);
      // A member sees only the packages they may read: planned for their values, as before.
      const member = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
      const asMember = await namedIn(async () => {
        const response = await t.request({ method: 'GET', url: '/api/assets?q=heron', as: member });
        const page = json<Page>(response);
        expect(page.items.map((item) => item.packageName)).toEqual(Array(6).fill('Birds'));
      });
      expect(asMember).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});
