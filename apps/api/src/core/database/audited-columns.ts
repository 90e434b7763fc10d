import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/**
 * Columns every user-editable table has: UUID id, audit stamps and the optimistic-locking
 * `version`. `created_by` / `updated_by` are filled from the request context by the audit
 * subscriber, so services never set them.
 */
export abstract class AuditedColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

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

/** Audited columns plus soft delete: rows users delete stay, marked, until purged. */
export abstract class SoftDeletableColumns extends AuditedColumns {
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt: Date | null;
}

/** Soft-deletable rows users name, describe, tag and search (packages and assets). */
export abstract class CatalogColumns extends SoftDeletableColumns {
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];
}
