import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

import { type Role } from '@integrixs/domain';

import { Audited } from '../../core/audit/audited.decorator';

/** A user's role in one package (may differ from their global role). */
@Audited<PackageMember>({
  entityType: 'package_member',
  packageIdOf: (m) => m.packageId,
  entityIdOf: (m) => m.userId,
})
@Entity('package_members')
export class PackageMember {
  @PrimaryColumn({ name: 'package_id', type: 'uuid' })
  packageId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  role: Role;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy: string;

  @VersionColumn()
  version: number;
}
