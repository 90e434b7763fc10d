import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { type FlowProblem } from '@integrixs/domain';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/**
 * Flow-specific columns of an asset of type FLOW (1:1 with package_assets): the graph problems
 * its current version had when it was saved (GET …/validation checks again, since the assets it
 * references change). Deployment state is per environment and belongs to the deployments.
 */
@Entity('package_flows')
export class PackageFlow {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  problems: FlowProblem[];
}
