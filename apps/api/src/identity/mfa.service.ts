import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { toDataURL } from 'qrcode';
import { type DataSource, type EntityManager } from 'typeorm';

import { SealedColumns, type SealedColumn } from '../core/crypto/sealed-columns';
import { queryRows } from '../core/database/query-rows';
import { StateConflictError, ValidationError } from '../core/errors/app-error';
import { RecoveryCode } from './entities/recovery-code.entity';
import { type User } from './entities/user.entity';
import { LoginThrottle } from './login-throttle.service';
import { recordSecurityEvent } from './security-events';
import { newTotpSecret, otpauthUri, totpStep } from './totp';

const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function hashCode(code: string): string {
  return createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/** 16 characters from a 32-letter alphabet (80 bits), shown as XXXX-XXXX-XXXX-XXXX. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

/** A TOTP or recovery code that was not accepted (the attempt stays counted). */
export class MfaCodeRefusedError extends ValidationError {
  constructor() {
    super([
      { path: 'code', message: 'is not a valid code (or was already used)', code: 'mfa_code' },
    ]);
  }
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

/**
 * TOTP multi-factor authentication: enrolment (secret sealed at rest), verification with replay
 * protection (a code is good once), recovery codes (stored hashed, single use) and attempt limits.
 */
@Injectable()
export class MfaService {
  private readonly box: SealedColumn;

  constructor(
    sealed: SealedColumns,
    private readonly throttle: LoginThrottle,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.box = sealed.column('users', 'mfa_secret');
  }

  /** Starts (or restarts) enrolment: a new pending secret, shown as URI and QR code. */
  async beginEnrolment(m: EntityManager, user: User): Promise<Enrolment> {
    if (user.mfaEnabledAt)
      throw new StateConflictError(
        'MFA is already enabled; disable it first to enrol a new device',
      );
    const secret = newTotpSecret();
    user.mfaSecret = this.box.seal(user.id, secret);
    await m.save(user);
    const uri = otpauthUri(user.username, secret);
    return {
      secret,
      otpauthUri: uri,
      qrCodeDataUrl: await toDataURL(uri, { margin: 1, width: 240 }),
    };
  }

  /** Confirms enrolment with a first code; returns the recovery codes (shown once). */
  async confirmEnrolment(m: EntityManager, user: User, code: string): Promise<string[]> {
    if (user.mfaEnabledAt) throw new StateConflictError('MFA is already enabled');
    if (!user.mfaSecret)
      throw new StateConflictError('start enrolment first: POST /api/auth/mfa/enrolment');
    await this.verifyCode(m, user, code);
    user.mfaEnabledAt = new Date();
    await m.save(user);
    await recordSecurityEvent(m, 'MFA_ENROLLED', user.id, {});
    return this.replaceRecoveryCodes(m, user);
  }

  /** Turns MFA off for `user`; `details` go into the MFA_DISABLED audit row (who reset it, why). */
  async disable(
    m: EntityManager,
    user: User,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    user.mfaSecret = null;
    user.mfaEnabledAt = null;
    user.mfaLastStep = null;
    await m.save(user);
    await m.delete(RecoveryCode, { userId: user.id });
    await recordSecurityEvent(m, 'MFA_DISABLED', user.id, details);
  }

  async replaceRecoveryCodes(m: EntityManager, user: User): Promise<string[]> {
    await m.delete(RecoveryCode, { userId: user.id });
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await m.insert(
      RecoveryCode,
      codes.map((code) => ({ userId: user.id, codeHash: hashCode(code) })),
    );
    return codes;
  }

  /**
   * Runs `work` — a transaction that calls `verifyCode` — on the user's MFA attempt budget. The
   * attempt is reserved before the transaction (atomically: of concurrent codes at most the
   * threshold are checked, the rest get 429, and none waits for a second connection while holding
   * one); a refused code keeps it counted and is audited after the rollback, an accepted one clears
   * the budget, and any other failure gives the attempt back.
   */
  async attempt<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const key = `mfa:${userId}`;
    await this.throttle.reserve([key]);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      if (error instanceof MfaCodeRefusedError)
        await recordSecurityEvent(this.db.manager, 'MFA_FAILED', userId, {});
      else await this.throttle.release([key]);
      throw error;
    }
    await this.throttle.clear([key]);
    return result;
  }

  /**
   * Checks a TOTP code or a recovery code for `user`, inside the transaction of an `attempt`. A
   * TOTP code whose time step was already used is refused; a recovery code is used up.
   */
  async verifyCode(m: EntityManager, user: User, code: string): Promise<'totp' | 'recovery'> {
    const kind = await this.check(m, user, code.trim());
    if (!kind) throw new MfaCodeRefusedError();
    return kind;
  }

  private async check(
    m: EntityManager,
    user: User,
    code: string,
  ): Promise<'totp' | 'recovery' | null> {
    if (/^\d{6}$/.test(code)) {
      if (!user.mfaSecret) return null;
      const secret = this.box.open(user.id, user.mfaSecret);
      if (secret === null) return null;
      const step = totpStep(code, secret);
      if (step === null) return null;
      // Advance the last used step atomically: of two requests with one code, only one passes.
      const advanced = await queryRows(
        m,
        `UPDATE users SET mfa_last_step = $2
          WHERE id = $1 AND (mfa_last_step IS NULL OR mfa_last_step < $2) RETURNING id`,
        [user.id, step],
      );
      if (advanced.length === 0) return null;
      user.mfaLastStep = String(step);
      return 'totp';
    }
    if (!user.mfaEnabledAt) return null;
    const used = await queryRows(
      m,
      `UPDATE mfa_recovery_codes SET used_at = now()
        WHERE id = (SELECT id FROM mfa_recovery_codes
                     WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1 FOR UPDATE)
        RETURNING id`,
      [user.id, hashCode(code)],
    );
    return used.length > 0 ? 'recovery' : null;
  }
}
