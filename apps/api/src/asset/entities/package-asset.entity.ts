import { Column, Entity } from 'typeorm';

import { type AssetStatus, type AssetType } from '@integrixs/domain';

import { Audited } from '../../core/audit/audited.decorator';
import { CatalogColumns } from '../../core/database/audited-columns';

/**
 * The registry row every asset has, whatever its type (class-table inheritance): identity,
 * naming, lifecycle status and the number of its current content version. Type-specific
 * columns live in `package_schemas`, `package_adapters`, `package_mappings`, `package_flows`.
 */
@Audited<PackageAsset>({ entityType: 'asset', packageIdOf: (a) => a.packageId })
@Entity('package_assets')
export class PackageAsset extends CatalogColumns {
  /** The package (`integration_packages`, foreign key with ON DELETE CASCADE in the migrations). */
  @Column({ name: 'package_id', type: 'uuid' })
  packageId: string;

  @Column({ type: 'text' })
  type: AssetType;

  @Column({ type: 'text', default: 'DRAFT' })
  status: AssetStatus;

  /** While set, only this user or a package administrator may change or delete the asset. */
  @Column({ name: 'locked_by', type: 'uuid', nullable: true })
  lockedBy: string | null;

  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt: Date | null;

  /** Number of the asset_versions row holding the current content (0 before the first). */
  @Column({ name: 'current_version', type: 'integer', default: 0 })
  currentVersion: number;
}
