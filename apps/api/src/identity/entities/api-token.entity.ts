import { Column, Entity } from 'typeorm';

import { type Permission } from '@integrixs/domain';

import { Audited } from '../../core/audit/audited.decorator';
import { AuditedColumns } from '../../core/database/audited-columns';

/** A named, scoped, expiring token for CI pipelines (`Authorization: Bearer ixt_...`), stored hashed. */
@Audited<ApiToken>({
  entityType: 'api_token',
  packageIdOf: () => null,
  redact: ['tokenHash'],
  ignore: ['lastUsedAt'],
})
@Entity('api_tokens')
export class ApiToken extends AuditedColumns {
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The first characters, to recognise the token in a list (`ixt_AbCd…`). */
  @Column({ name: 'token_hint', type: 'text' })
  tokenHint: string;

  @Column({ type: 'text', array: true })
  permissions: Permission[];

  /** Packages the token may reach; null means every package its owner can reach. */
  @Column({ name: 'package_ids', type: 'uuid', array: true, nullable: true })
  packageIds: string[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
