import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { type AdapterDirection, type AdapterType } from '@integrixs/domain';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/** Adapter-specific columns of an asset of type ADAPTER (1:1 with package_assets). */
@Entity('package_adapters')
export class PackageAdapter {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  @Column({ name: 'adapter_type', type: 'text', default: 'HTTP' })
  adapterType: AdapterType;

  @Column({ type: 'text', default: 'OUTBOUND' })
  direction: AdapterDirection;
}
