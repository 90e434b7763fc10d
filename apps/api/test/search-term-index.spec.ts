import { createAsset, createPackage } from './support/access-fixtures';
import { json, startTestApp, type TestApp } from './support/test-app';

/**
 * Asset search counts a one-word query from the term index (asset_search_terms): one row per
 * live asset and lexeme, kept by triggers in the asset write's transaction. These pin what makes
 * that count honest: assets are counted, not terms; the index follows every write; a sample the
 * index cannot decide falls back to scanning; and nobody counts assets they cannot read. The cap
 * is 3, so the index samples 2 × (3 + 1) = 8 entries.
 */
interface Page {
  items: { id: string; name: string }[];
  total: number;
  totalIsEstimate: boolean;
}

const CAP = 3;

describe('search counts from the term index', () => {
  let t: TestApp;
  let packageId: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { listCountCap: CAP } });
    packageId = await createPackage(t, 'Terms');
  });
  afterAll(() => t.close());

  const insert = async (name: string, description = ''): Promise<string> => {
    const { rows } = await t.db.pool.query<{ id: string }>(
      `INSERT INTO package_assets (package_id, type, name, description, created_by, updated_by)
       VALUES ($1, 'FLOW', $2, $3, 'test', 'test') RETURNING id`,
      [packageId, name, description],
    );
    const [row] = rows;
    if (!row) throw new Error(`inserting ${name} returned no row`);
    return row.id;
  };
  /** `limit=1`, so the total is counted (a first page holding every match is its own count). */
  const search = async (q: string): Promise<Page> => {
    const response = await t.request({ method: 'GET', url: `/api/assets?q=${q}&limit=1` });
    expect({ q, status: response.statusCode }).toEqual({ q, status: 200 });
    return json<Page>(response);
  };
  const terms = async (assetId: string): Promise<string[]> => {
    const { rows } = await t.db.pool.query<{ term: string }>(
      'SELECT term FROM asset_search_terms WHERE asset_id = $1 ORDER BY term',
      [assetId],
    );
    return rows.map((row) => row.term);
  };

  it('counts an asset once however many of its words start with the query', async () => {
    for (let i = 1; i <= 3; i++) await insert(`Quotation ${i}`, 'quotations and quotas');
    expect(await search('quot')).toMatchObject({ total: 3, totalIsEstimate: false });
    expect(await search('quotation')).toMatchObject({ total: 3, totalIsEstimate: false });
  });

  it('falls back to scanning when the sampled entries cannot tell the count', async () => {
    // Three assets with three `lim…` words each fill the 8-entry sample with 3 assets; a fourth
    // sorts after it. Only the scan sees that 4 > 3 match.
    for (let i = 1; i <= 3; i++) await insert(`Limit ${i}`, 'limber limes');
    await insert('Limpet');
    expect(await search('lim')).toMatchObject({ totalIsEstimate: true });
    expect((await search('lim')).total).toBeGreaterThan(CAP);
  });

  it('follows every write in the same transaction: create, rename, delete, restore', async () => {
    const asset = await createAsset(t, packageId, 'FLOW', { name: 'Walrus feed' });
    expect(await terms(asset.id)).toEqual(['feed', 'walrus']);
    const url = `/api/packages/${packageId}/flows/${asset.id}`;
    const renamed = await t.request({
      method: 'PUT',
      url,
      payload: { version: asset.version, name: 'Narwhal feed', tags: ['arctic'] },
    });
    expect(renamed.statusCode).toBe(200);
    expect(await terms(asset.id)).toEqual(['arctic', 'feed', 'narwhal']);
    expect(await search('walrus')).toMatchObject({ total: 0 });
    expect(await search('narwhal')).toMatchObject({ total: 1, totalIsEstimate: false });

    expect((await t.request({ method: 'DELETE', url })).statusCode).toBe(204);
    expect(await terms(asset.id)).toEqual([]);
    expect(await search('narwhal')).toMatchObject({ total: 0 });
    expect((await t.request({ method: 'POST', url: `${url}/restore` })).statusCode).toBe(200);
    expect(await terms(asset.id)).toEqual(['arctic', 'feed', 'narwhal']);

    await t.db.pool.query('DELETE FROM package_assets WHERE id = $1', [asset.id]);
    expect(await terms(asset.id)).toEqual([]);
  });

  it('leaves a write that fails with no terms of its own', async () => {
    const id = await insert('Pelican');
    await expect(
      t.db.pool.query(
        `UPDATE package_assets SET name = 'Penguin', status = 'NOT A STATUS' WHERE id = $1`,
        [id],
      ),
    ).rejects.toThrow(/check constraint/);
    expect(await terms(id)).toEqual(['pelican']);
  });

  it('counts only assets of packages the caller may read', async () => {
    const hidden = await createPackage(t, 'Hidden terms');
    await t.db.pool.query(
      `INSERT INTO package_assets (package_id, type, name, created_by, updated_by)
       SELECT $1, 'FLOW', 'Osprey ' || n, 'test', 'test' FROM generate_series(1, 5) n`,
      [hidden],
    );
    const visible = [await insert('Osprey one'), await insert('Osprey two')];
    const member = await t.createUser({ role: 'VIEWER', packages: { [packageId]: 'VIEWER' } });
    const url = '/api/assets?q=osprey&limit=1';
    const first = json<Page>(await t.request({ method: 'GET', url, as: member }));
    expect(first).toMatchObject({ total: 2, totalIsEstimate: false });
    expect(visible).toContain(first.items[0]?.id);
    expect(await search('osprey')).toMatchObject({ totalIsEstimate: true });
  });
});
