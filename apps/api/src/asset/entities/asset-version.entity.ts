import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

import { PackageAsset } from './package-asset.entity';

/** An immutable snapshot of an asset's content; a trigger refuses UPDATE on this table. */
@Entity('asset_versions')
export class AssetVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @ManyToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  @Column({ name: 'version_number', type: 'integer' })
  versionNumber: number;

  @Column({ type: 'jsonb' })
  content: unknown;

  /** sha256 of the canonical JSON of `content`: equal hashes mean equal content. */
  @Column({ name: 'content_hash', type: 'text' })
  contentHash: string;

  @Column({ type: 'text', default: '' })
  message: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;
}
