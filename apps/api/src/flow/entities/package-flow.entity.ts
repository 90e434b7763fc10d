import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/** Flow-specific columns of an asset of type FLOW (1:1 with package_assets). */
@Entity('package_flows')
export class PackageFlow {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  /** Content version the deployment module last activated; null while never deployed. */
  @Column({ name: 'deployed_version', type: 'integer', nullable: true })
  deployedVersion: number | null;
}
