import { Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/**
 * Flow-specific columns of an asset of type FLOW (1:1 with package_assets). None yet: deployment
 * state is per environment and belongs to the deployments of the flows issue, not to the flow.
 */
@Entity('package_flows')
export class PackageFlow {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;
}
