import { Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/**
 * Mapping-specific columns of an asset of type MAPPING (1:1 with package_assets). Its source and
 * target schemas are dependency edges (MAPPING_SOURCE_SCHEMA, MAPPING_TARGET_SCHEMA), not columns.
 */
@Entity('package_mappings')
export class PackageMapping {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;
}
