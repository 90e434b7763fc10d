import { Column, Entity } from 'typeorm';

import { Audited } from '../../core/audit/audited.decorator';
import { SoftDeletableColumns } from '../../core/database/audited-columns';

/** A package: the logical container and access boundary for integration assets. */
@Audited<IntegrationPackage>({ entityType: 'package', packageIdOf: (p) => p.id })
@Entity('integration_packages')
export class IntegrationPackage extends SoftDeletableColumns {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'text', nullable: true })
  owner: string | null;
}
