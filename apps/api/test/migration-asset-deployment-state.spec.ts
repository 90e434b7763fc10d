import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

import { MIGRATIONS } from '../src/core/database/migrations';
import { AssetDeploymentStateRemoval1764810000000 } from '../src/core/database/migrations/1764810000000-asset-deployment-state-removal';
import { migrateDatabase, revertMigrations } from '../src/core/database/migrator';
import { databaseUrl, testServerUrl } from './support/test-server';

/** What the removal of asset-level deployment state does to rows written before it. */
describe('migration: asset deployment state removal', () => {
  const name = `integrixs_deploy_state_${randomBytes(6).toString('hex')}`;
  const url = databaseUrl(testServerUrl(), name);
  const mine = MIGRATIONS.indexOf(AssetDeploymentStateRemoval1764810000000);

  const on = async <T>(connection: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: connection });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const sql = (text: string, params: unknown[] = []) =>
    on(url, async (c) => (await c.query<Record<string, unknown>>(text, params)).rows);

  beforeAll(() => on(testServerUrl(), (c) => c.query(`CREATE DATABASE ${name}`)));
  afterAll(() =>
    on(testServerUrl(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  );

  it('moves DEPLOYED and SUSPENDED assets to READY (audited) and mapping schemas to edges', async () => {
    expect(mine).toBeGreaterThan(0);
    await migrateDatabase(url, MIGRATIONS.slice(0, mine));
    const [pkg] = await sql(
      `INSERT INTO integration_packages (name, created_by, updated_by) VALUES ('P', 'u', 'u') RETURNING id`,
    );
    const asset = async (type: string, assetName: string, status: string) =>
      String(
        (
          await sql(
            `INSERT INTO package_assets (package_id, type, name, status, created_by, updated_by)
             VALUES ($1, $2, $3, $4, 'u', 'u') RETURNING id`,
            [pkg?.['id'], type, assetName, status],
          )
        )[0]?.['id'],
      );
    const deployed = await asset('FLOW', 'deployed', 'DEPLOYED');
    const suspended = await asset('FLOW', 'suspended', 'SUSPENDED');
    await asset('FLOW', 'draft', 'DRAFT');
    await sql(`INSERT INTO package_flows (asset_id, deployed_version) VALUES ($1, 1)`, [deployed]);
    const source = await asset('SCHEMA', 'source', 'READY');
    const target = await asset('SCHEMA', 'target', 'READY');
    const mapping = await asset('MAPPING', 'map', 'READY');
    await sql(
      `INSERT INTO package_mappings (asset_id, source_schema_id, target_schema_id) VALUES ($1, $2, $3)`,
      [mapping, source, target],
    );

    expect(await migrateDatabase(url)).toContain(AssetDeploymentStateRemoval1764810000000.name);

    expect(
      await sql(`SELECT name, status FROM package_assets WHERE type = 'FLOW' ORDER BY name`),
    ).toEqual([
      { name: 'deployed', status: 'READY' },
      { name: 'draft', status: 'DRAFT' },
      { name: 'suspended', status: 'READY' },
    ]);
    const audited = await sql(
      `SELECT entity_id, actor, action, entity_type, changes FROM audit_log ORDER BY changes::text`,
    );
    expect(audited).toEqual([
      {
        entity_id: deployed,
        actor: 'system',
        action: 'UPDATE',
        entity_type: 'asset',
        changes: { status: { before: 'DEPLOYED', after: 'READY' } },
      },
      {
        entity_id: suspended,
        actor: 'system',
        action: 'UPDATE',
        entity_type: 'asset',
        changes: { status: { before: 'SUSPENDED', after: 'READY' } },
      },
    ]);
    const counts = await sql(
      `SELECT status, live FROM package_asset_counts WHERE type = 'FLOW' ORDER BY status`,
    );
    expect(counts).toEqual([
      { status: 'DRAFT', live: 1 },
      { status: 'READY', live: 2 },
    ]);
    expect(
      await sql(
        `SELECT to_asset_id, kind, package_id FROM package_asset_dependencies WHERE from_asset_id = $1 ORDER BY kind`,
        [mapping],
      ),
    ).toEqual([
      { to_asset_id: source, kind: 'MAPPING_SOURCE_SCHEMA', package_id: pkg?.['id'] },
      { to_asset_id: target, kind: 'MAPPING_TARGET_SCHEMA', package_id: pkg?.['id'] },
    ]);
    await expect(
      sql(`UPDATE package_assets SET status = 'DEPLOYED' WHERE id = $1`, [deployed]),
    ).rejects.toThrow(/package_assets_status_check/);
    // Later migrations add columns of their own; these three must be gone.
    expect(
      await sql(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_name IN ('package_flows', 'package_mappings')
            AND column_name IN ('deployed_version', 'source_schema_id', 'target_schema_id')`,
      ),
    ).toEqual([]);

    // down(): the columns come back, the mapping's filled from its edges.
    await revertMigrations(url, MIGRATIONS.length - mine);
    expect(
      await sql(
        `SELECT source_schema_id, target_schema_id FROM package_mappings WHERE asset_id = $1`,
        [mapping],
      ),
    ).toEqual([{ source_schema_id: source, target_schema_id: target }]);
    expect(await sql(`SELECT deployed_version FROM package_flows`)).toEqual([
      { deployed_version: null },
    ]);
    await sql(`UPDATE package_assets SET status = 'SUSPENDED' WHERE id = $1`, [suspended]);
  });
});
