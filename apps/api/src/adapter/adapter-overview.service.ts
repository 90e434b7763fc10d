import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { type AssetStatus } from '@integrixs/domain';

import { queryRows } from '../core/database/query-rows';
import { SqlParams } from '../core/database/sql-params';
import { type KeysetOrder } from '../core/listing/cursor';
import { sqlKeysetPage } from '../core/listing/keyset-page';
import {
  type AdapterOverviewDto,
  type AdapterOverviewItemDto,
  type AdapterOverviewQueryDto,
} from './dto/adapter-overview.dto';

interface AdapterRow {
  adapter_id: string;
  name: string;
  status: string;
  name_key: string;
  adapter_type: string;
  direction: string;
}

interface TestRow {
  asset_id: string;
  environment: string;
  ok: boolean;
  tested_at: Date;
}

/** By name, case-insensitively, then id (what the container list's `sort=name` pages by). */
const BY_NAME: KeysetOrder = {
  name: 'name',
  descending: false,
  keys: [
    { sql: 'lower(a.name)', type: 'text' },
    { sql: 'a.id', type: 'uuid' },
  ],
};

/**
 * What the console's adapter list shows: each live adapter's name, status, type, direction and
 * last connection test per environment, a keyset page at a time (by name), optionally of one type.
 */
@Injectable()
export class AdapterOverviewService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async overview(packageId: string, query: AdapterOverviewQueryDto): Promise<AdapterOverviewDto> {
    const params = new SqlParams();
    const where = [
      `a.package_id = ${params.bind(packageId)}`,
      `a.type = 'ADAPTER'`,
      'a.deleted_at IS NULL',
    ];
    if (query.adapterType !== undefined) {
      where.push(`p.adapter_type = ${params.bind(query.adapterType)}`);
    }
    const run = <X>(sql: string, values: unknown[]) => queryRows<X>(this.db.manager, sql, values);
    const from = 'FROM package_assets a JOIN package_adapters p ON p.asset_id = a.id';
    const page = await sqlKeysetPage<AdapterRow>(
      run,
      {
        select: `SELECT a.id AS adapter_id, a.name, a.status, lower(a.name) AS name_key,
                        p.adapter_type, p.direction ${from}`,
        where,
        params,
        order: BY_NAME,
        keysOf: (row) => [row.name_key, row.adapter_id],
        total: `SELECT count(*)::int AS n ${from}`,
      },
      query,
    );
    const tests = await this.lastTests(page.items.map((row) => row.adapter_id));
    return {
      items: page.items.map((row): AdapterOverviewItemDto => ({
        adapterId: row.adapter_id,
        name: row.name,
        status: row.status as AssetStatus,
        adapterType: row.adapter_type,
        direction: row.direction,
        lastTests: (tests.get(row.adapter_id) ?? []).map((test) => ({
          environment: test.environment,
          ok: test.ok,
          testedAt: test.tested_at.toISOString(),
        })),
      })),
      total: page.total,
      nextCursor: page.nextCursor,
    };
  }

  /** The last connection test per environment of each adapter, in environment order. */
  private async lastTests(ids: readonly string[]): Promise<Map<string, TestRow[]>> {
    const byId = new Map<string, TestRow[]>();
    if (ids.length === 0) return byId;
    const rows = await queryRows<TestRow>(
      this.db.manager,
      `SELECT t.asset_id, e.code AS environment, t.ok, t.tested_at
         FROM adapter_connection_tests t JOIN environments e ON e.id = t.environment_id
        WHERE t.asset_id = ANY($1::uuid[])
        ORDER BY e.position, e.code`,
      [ids],
    );
    for (const row of rows) byId.set(row.asset_id, [...(byId.get(row.asset_id) ?? []), row]);
    return byId;
  }
}
