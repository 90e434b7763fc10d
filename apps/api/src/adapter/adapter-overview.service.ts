import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { type AdapterOverviewDto, type AdapterOverviewItemDto } from './dto/adapter-overview.dto';

/**
 * What the console's adapter list shows beside the asset columns: each live adapter's type,
 * direction and last connection test per environment, in one query.
 */
@Injectable()
export class AdapterOverviewService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async overview(packageId: string): Promise<AdapterOverviewDto> {
    const rows = await queryRows<{
      adapter_id: string;
      adapter_type: string;
      direction: string;
      environment: string | null;
      ok: boolean | null;
      tested_at: Date | null;
    }>(
      this.db.manager,
      `SELECT a.id AS adapter_id, p.adapter_type, p.direction, e.code AS environment, t.ok, t.tested_at
         FROM package_assets a
         JOIN package_adapters p ON p.asset_id = a.id
         LEFT JOIN adapter_connection_tests t ON t.asset_id = a.id
         LEFT JOIN environments e ON e.id = t.environment_id
        WHERE a.package_id = $1 AND a.type = 'ADAPTER' AND a.deleted_at IS NULL
        ORDER BY a.id, e.position, e.code`,
      [packageId],
    );
    const byId = new Map<string, AdapterOverviewItemDto>();
    for (const row of rows) {
      let item = byId.get(row.adapter_id);
      if (!item) {
        item = {
          adapterId: row.adapter_id,
          adapterType: row.adapter_type,
          direction: row.direction,
          lastTests: [],
        };
        byId.set(row.adapter_id, item);
      }
      if (row.environment && row.ok !== null && row.tested_at)
        item.lastTests.push({
          environment: row.environment,
          ok: row.ok,
          testedAt: row.tested_at.toISOString(),
        });
    }
    return { items: [...byId.values()] };
  }
}
