import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';

import { type DependencyKind } from '@integrixs/domain';

import { PackageAsset } from '../../asset/entities/package-asset.entity';
import { Audited } from '../../core/audit/audited.decorator';
import { AuditedColumns } from '../../core/database/audited-columns';

/**
 * One edge of the asset graph: `from` refers to `to`. Derived by the asset modules when an
 * asset is saved (never edited by hand); `pinnedVersion` null means "the current version".
 * Schema imports into another package are always pinned (to the version the saver could read).
 */
@Audited<PackageAssetDependency>({ entityType: 'dependency', packageIdOf: (d) => d.packageId })
@Entity('package_asset_dependencies')
export class PackageAssetDependency extends AuditedColumns {
  /** The package of `from` (kept right by a composite foreign key, also when the asset moves). */
  @Column({ name: 'package_id', type: 'uuid' })
  packageId: string;

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

  /**
   * Schema imports: the namespace / `$id` this edge satisfies. Later saves of the importing
   * schema resolve that identifier to the same asset unless the saver chooses another.
   */
  @Column({ type: 'text', nullable: true })
  namespace: string | null;

  /**
   * Not a reference of `from` itself but of a schema it imports, pinned with it (a read never
   * follows another package's current state). Impact analysis and delete checks ignore these.
   */
  @Column({ type: 'boolean', default: false })
  transitive: boolean;
}
