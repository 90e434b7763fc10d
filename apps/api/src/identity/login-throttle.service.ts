import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { TooManyAttemptsError } from '../core/errors/app-error';

/** How many failures a kind of key tolerates before it is locked, and for how long at most. */
const POLICY: Record<string, { threshold: number; maxLockSeconds: number }> = {
  user: { threshold: 5, maxLockSeconds: 15 * 60 },
  ip: { threshold: 20, maxLockSeconds: 15 * 60 },
  mfa: { threshold: 5, maxLockSeconds: 15 * 60 },
};
/** Failures older than this are forgotten. */
const WINDOW_SECONDS = 15 * 60;

function policyOf(key: string): { threshold: number; maxLockSeconds: number } {
  const policy = POLICY[key.split(':', 1)[0] ?? ''];
  if (!policy) throw new Error(`no throttle policy for ${key}`);
  return policy;
}

/**
 * Failed sign-ins and MFA codes, per account and per client IP, in PostgreSQL (so every API
 * instance agrees). Past a threshold a key is locked for 30 s, doubling with each further
 * failure up to 15 minutes. The same answer is given for unknown accounts (no enumeration).
 */
@Injectable()
export class LoginThrottle {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Throws 429 when any of `keys` is locked now. */
  async assertOpen(keys: string[]): Promise<void> {
    const rows = await this.db.query<{ seconds: number }[]>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds
         FROM login_throttle WHERE key = ANY($1) AND locked_until > now()
        ORDER BY locked_until DESC LIMIT 1`,
      [keys],
    );
    const seconds = rows[0]?.seconds;
    if (seconds !== undefined) throw new TooManyAttemptsError(Math.max(1, seconds));
  }

  async recordFailure(keys: string[]): Promise<void> {
    for (const key of keys) {
      const { threshold, maxLockSeconds } = policyOf(key);
      await this.db.query(
        `INSERT INTO login_throttle AS t (key, failures, last_failure_at)
         VALUES ($1, 1, now())
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
           last_failure_at = now()`,
        [key, WINDOW_SECONDS],
      );
      await this.db.query(
        `UPDATE login_throttle
            SET locked_until = now() + make_interval(secs => least($3::float8, 30 * power(2, failures - $2)))
          WHERE key = $1 AND failures >= $2`,
        [key, threshold, maxLockSeconds],
      );
    }
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = ANY($1)', [keys]);
  }
}
