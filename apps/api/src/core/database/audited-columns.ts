import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

/**
 * Audit stamps and the optimistic-locking `version`, on every table users edit.
 * `created_by` / `updated_by` are filled from the request context by the audit subscriber, so
 * services never set them.
 */
export abstract class AuditStampColumns {
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

/** Audit stamps plus a UUID primary key: the usual shape of an editable table. */
export abstract class AuditedColumns extends AuditStampColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;
}

/**
 * Audited columns plus soft delete: rows users delete stay, marked, until purged. The audit
 * subscriber fills `deleted_by` on soft delete and clears it (with the batch) on restore.
 */
export abstract class SoftDeletableColumns extends AuditedColumns {
  @DeleteDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt: Date | null;

  @Column({ name: 'deleted_by', type: 'text', nullable: true })
  deletedBy: string | null;

  /** Rows deleted together (a package and its assets) share it: a restore brings back exactly those. */
  @Column({ name: 'deletion_batch', type: 'uuid', nullable: true })
  deletionBatch: string | null;
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
