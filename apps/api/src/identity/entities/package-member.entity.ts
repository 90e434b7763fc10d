import { Column, Entity, PrimaryColumn } from 'typeorm';

import { type Role } from '@integrixs/domain';

import { Audited } from '../../core/audit/audited.decorator';
import { AuditStampColumns } from '../../core/database/audited-columns';

/** A user's role in one package (may differ from their global role). */
@Audited<PackageMember>({
  entityType: 'package_member',
  packageIdOf: (m) => m.packageId,
  entityIdOf: (m) => m.userId,
})
@Entity('package_members')
export class PackageMember extends AuditStampColumns {
  @PrimaryColumn({ name: 'package_id', type: 'uuid' })
  packageId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  role: Role;
}
