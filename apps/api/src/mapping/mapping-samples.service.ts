import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { type AssetEditor } from '../asset/asset-editor';
import { AssetService } from '../asset/asset.service';
import { writeAudit, type AuditRow } from '../core/audit/audit-writer';
import { sqlState, UNIQUE_VIOLATION } from '../core/database/database-errors';
import { queryRows } from '../core/database/query-rows';
import { runInTransaction } from '../core/database/transactions';
import {
  AssetLockedError,
  NameConflictError,
  NotFoundError,
  VersionConflictError,
} from '../core/errors/app-error';
import {
  type CreateMappingSampleDto,
  type MappingSampleDto,
  type MappingSampleListDto,
  type MappingSampleSummaryDto,
  type UpdateMappingSampleDto,
} from './dto/mapping-sample.dto';

interface SampleRow {
  id: string;
  asset_id: string;
  name: string;
  input?: string;
  expected_output?: string | null;
  has_expected: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const SUMMARY_COLUMNS = `id, asset_id, name, expected_output IS NOT NULL AS has_expected, version,
                         created_at, updated_at`;
const FULL_COLUMNS = `${SUMMARY_COLUMNS}, input, expected_output`;

/**
 * A mapping's named samples (mapping_samples): input payload and optional expected output, kept
 * beside the versioned content (test data, not part of what the mapping means). Reads need the
 * mapping to be readable in its package; writes respect its lock like any change to it.
 */
@Injectable()
export class MappingSamples {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly assets: AssetService,
  ) {}

  async list(packageId: string, mappingId: string): Promise<MappingSampleListDto> {
    await this.assets.get(packageId, 'MAPPING', mappingId);
    const rows = await queryRows<SampleRow>(
      this.db.manager,
      `SELECT ${SUMMARY_COLUMNS} FROM mapping_samples WHERE asset_id = $1 ORDER BY lower(name), id`,
      [mappingId],
    );
    return { items: rows.map(summaryOf) };
  }

  /** Every sample with its payloads, in name order (test-all). */
  async all(mappingId: string): Promise<MappingSampleDto[]> {
    const rows = await queryRows<SampleRow>(
      this.db.manager,
      `SELECT ${FULL_COLUMNS} FROM mapping_samples WHERE asset_id = $1 ORDER BY lower(name), id`,
      [mappingId],
    );
    return rows.map(fullOf);
  }

  async get(packageId: string, mappingId: string, sampleId: string): Promise<MappingSampleDto> {
    await this.assets.get(packageId, 'MAPPING', mappingId);
    return fullOf(await this.row(this.db.manager, mappingId, sampleId));
  }

  async create(
    packageId: string,
    mappingId: string,
    dto: CreateMappingSampleDto,
    editor: AssetEditor,
  ): Promise<MappingSampleDto> {
    return this.write(packageId, mappingId, editor, dto.name, async (m) => {
      const [row] = await queryRows<SampleRow>(
        m,
        `INSERT INTO mapping_samples (asset_id, name, input, expected_output, created_by, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING ${FULL_COLUMNS}`,
        [mappingId, dto.name, dto.input, dto.expectedOutput ?? null, editor.userId],
      );
      return { row, audit: audited('CREATE', row, packageId, { name: { after: row.name } }) };
    });
  }

  async update(
    packageId: string,
    mappingId: string,
    sampleId: string,
    dto: UpdateMappingSampleDto,
    expectedVersion: number,
    editor: AssetEditor,
  ): Promise<MappingSampleDto> {
    return this.write(packageId, mappingId, editor, dto.name ?? '', async (m) => {
      const current = fullOf(await this.row(m, mappingId, sampleId, true));
      if (current.version !== expectedVersion)
        throw new VersionConflictError('Sample', expectedVersion, current);
      const [row] = await queryRows<SampleRow>(
        m,
        `UPDATE mapping_samples
            SET name = $3, input = $4, expected_output = $5, version = version + 1,
                updated_at = now(), updated_by = $6
          WHERE id = $2 AND asset_id = $1 RETURNING ${FULL_COLUMNS}`,
        [
          mappingId,
          sampleId,
          dto.name ?? current.name,
          dto.input ?? current.input,
          dto.expectedOutput === undefined ? current.expectedOutput : dto.expectedOutput,
          editor.userId,
        ],
      );
      // Payloads can be megabytes: the log says that they changed, not what they hold.
      const changes: AuditRow['changes'] = {};
      if (row.name !== current.name) changes['name'] = { before: current.name, after: row.name };
      if (row.input !== current.input) changes['input'] = { after: 'changed' };
      if ((row.expected_output ?? null) !== current.expectedOutput)
        changes['expectedOutput'] = { after: row.expected_output === null ? 'removed' : 'changed' };
      return { row, audit: audited('UPDATE', row, packageId, changes) };
    });
  }

  async remove(
    packageId: string,
    mappingId: string,
    sampleId: string,
    expectedVersion: number | undefined,
    editor: AssetEditor,
  ): Promise<void> {
    await this.write(packageId, mappingId, editor, '', async (m) => {
      const current = await this.row(m, mappingId, sampleId, true);
      if (expectedVersion !== undefined && current.version !== expectedVersion)
        throw new VersionConflictError('Sample', expectedVersion, fullOf(current));
      await m.query(`DELETE FROM mapping_samples WHERE id = $1`, [sampleId]);
      return {
        row: current,
        audit: audited('DELETE', current, packageId, { name: { before: current.name } }),
      };
    });
  }

  /** A write in one transaction, with the mapping's row locked and its lock respected. */
  private async write(
    packageId: string,
    mappingId: string,
    editor: AssetEditor,
    name: string,
    change: (m: EntityManager) => Promise<{ row: SampleRow; audit: AuditRow }>,
  ): Promise<MappingSampleDto> {
    try {
      return await runInTransaction(this.db, async (m) => {
        const [asset] = await queryRows<{ locked_by: string | null }>(
          m,
          `SELECT locked_by FROM package_assets
            WHERE id = $1 AND package_id = $2 AND type = 'MAPPING' AND deleted_at IS NULL
              FOR UPDATE`,
          [mappingId, packageId],
        );
        if (!asset) throw new NotFoundError('Mapping', mappingId);
        if (
          asset.locked_by &&
          asset.locked_by !== editor.userId &&
          editor.packageRole !== 'ADMINISTRATOR'
        ) {
          throw new AssetLockedError(`Mapping ${mappingId}`, asset.locked_by);
        }
        const { row, audit } = await change(m);
        await writeAudit(m, [audit]);
        return fullOf(row);
      });
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new NameConflictError('A sample', name, 'for this mapping');
      throw error;
    }
  }

  private async row(
    m: EntityManager,
    mappingId: string,
    sampleId: string,
    forUpdate = false,
  ): Promise<SampleRow> {
    const [row] = await queryRows<SampleRow>(
      m,
      `SELECT ${FULL_COLUMNS} FROM mapping_samples WHERE id = $1 AND asset_id = $2
       ${forUpdate ? 'FOR UPDATE' : ''}`,
      [sampleId, mappingId],
    );
    if (!row) throw new NotFoundError('Sample', sampleId);
    return row;
  }
}

function audited(
  action: AuditRow['action'],
  row: SampleRow,
  packageId: string,
  changes: AuditRow['changes'],
): AuditRow {
  return { action, entityType: 'mapping_sample', entityId: row.id, packageId, changes };
}

function summaryOf(row: SampleRow): MappingSampleSummaryDto {
  return {
    id: row.id,
    mappingId: row.asset_id,
    name: row.name,
    hasExpectedOutput: row.has_expected,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function fullOf(row: SampleRow): MappingSampleDto {
  return { ...summaryOf(row), input: row.input ?? '', expectedOutput: row.expected_output ?? null };
}
