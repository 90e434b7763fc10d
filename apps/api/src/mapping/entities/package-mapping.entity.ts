import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/** Mapping-specific columns of an asset of type MAPPING (1:1 with package_assets). */
@Entity('package_mappings')
export class PackageMapping {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  @Column({ name: 'source_schema_id', type: 'uuid', nullable: true })
  sourceSchemaId: string | null;

  @Column({ name: 'target_schema_id', type: 'uuid', nullable: true })
  targetSchemaId: string | null;
}
