import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';

import { type SchemaType } from '@integrixs/domain';

import { PackageAsset } from '../../asset/entities/package-asset.entity';

/** Schema-specific columns of an asset of type SCHEMA (1:1 with package_assets). */
@Entity('package_schemas')
export class PackageSchema {
  @PrimaryColumn({ name: 'asset_id', type: 'uuid' })
  assetId: string;

  @OneToOne(() => PackageAsset, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'asset_id' })
  asset?: PackageAsset;

  @Column({ name: 'schema_type', type: 'text', default: 'XSD' })
  schemaType: SchemaType;

  /** The main file's `targetNamespace` (XSD, WSDL) or `$id` (JSON Schema): what others import. */
  @Column({ name: 'target_namespace', type: 'text', nullable: true })
  targetNamespace: string | null;
}
