import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/**
 * Mapping-specific columns of an asset of type MAPPING (1:1 with package_assets): its kind and
 * the current version's compile warnings. Its source and target schemas are dependency edges
 * (MAPPING_SOURCE_SCHEMA, MAPPING_TARGET_SCHEMA), not columns; its samples are mapping_samples.
 */
@Entity('package_mappings')
export class PackageMapping {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @Column({ type: 'text', default: 'JSONATA' })
  kind: string;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  warnings: object[];

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;
}
