import { Column, Entity } from 'typeorm';

import { type Role } from '@integrixs/domain';

import { Audited } from '../../core/audit/audited.decorator';
import { AuditedColumns } from '../../core/database/audited-columns';

/** A person who signs in. Hashes and MFA secrets never leave the API and never reach the audit log. */
@Audited<User>({
  entityType: 'user',
  packageIdOf: () => null,
  redact: ['passwordHash', 'mfaSecret'],
  ignore: ['mfaLastStep', 'lastLoginAt', 'usernameCanonical'],
})
@Entity('users')
export class User extends AuditedColumns {
  @Column({ type: 'text' })
  username: string;

  /** The form names are compared in (`canonicalUsername`): unique, and what sign-in looks up. */
  @Column({ name: 'username_canonical', type: 'text' })
  usernameCanonical: string;

  @Column({ name: 'display_name', type: 'text', default: '' })
  displayName: string;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'text' })
  role: Role;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  /** Access and refresh tokens issued before this instant are refused (password change, disable). */
  @Column({ name: 'sessions_valid_after', type: 'timestamptz', default: () => 'now()' })
  sessionsValidAfter: Date;

  @Column({ name: 'password_changed_at', type: 'timestamptz', default: () => 'now()' })
  passwordChangedAt: Date;

  /** TOTP secret, sealed with the encryption key (SecretBox). */
  @Column({ name: 'mfa_secret', type: 'text', nullable: true })
  mfaSecret: string | null;

  @Column({ name: 'mfa_enabled_at', type: 'timestamptz', nullable: true })
  mfaEnabledAt: Date | null;

  /** Last accepted TOTP time step: a code is good once. */
  @Column({ name: 'mfa_last_step', type: 'bigint', nullable: true })
  mfaLastStep: string | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;
}
