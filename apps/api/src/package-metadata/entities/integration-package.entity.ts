import { Column, Entity } from 'typeorm';

import { Audited } from '../../core/audit/audited.decorator';
import { CatalogColumns } from '../../core/database/audited-columns';

/** A package: the logical container and access boundary for integration assets. */
@Audited<IntegrationPackage>({ entityType: 'package', packageIdOf: (p) => p.id })
@Entity('integration_packages')
export class IntegrationPackage extends CatalogColumns {
  @Column({ type: 'text', nullable: true })
  owner: string | null;
}
