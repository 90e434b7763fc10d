import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';

import { type DependencyKind } from '@integrixs/domain';

import { PackageAsset } from '../../asset/entities/package-asset.entity';
import { Audited } from '../../core/audit/audited.decorator';
import { AuditedColumns } from '../../core/database/audited-columns';

/**
 * One edge of the asset graph: `from` refers to `to`. Derived by the asset modules when an
 * asset is saved (never edited by hand); `pinnedVersion` null means "the current version".
 */
@Audited<PackageAssetDependency>({ entityType: 'dependency', packageIdOf: () => null })
@Entity('package_asset_dependencies')
export class PackageAssetDependency extends AuditedColumns {
  @Column({ name: 'from_asset_id', type: 'uuid' })
  fromAssetId: string;

  @ManyToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'from_asset_id' })
  fromAsset?: PackageAsset;

  @Column({ name: 'to_asset_id', type: 'uuid' })
  toAssetId: string;

  @ManyToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'to_asset_id' })
  toAsset?: PackageAsset;

  @Column({ type: 'text' })
  kind: DependencyKind;

  @Column({ name: 'pinned_version', type: 'integer', nullable: true })
  pinnedVersion: number | null;
}
