import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager } from 'typeorm';

import { queryRows } from '../core/database/query-rows';
import { TooManyAttemptsError } from '../core/errors/app-error';

/** How many failures a kind of key tolerates before it is locked, and for how long at most. */
const POLICY: Record<string, { threshold: number; maxLockSeconds: number }> = {
  /** An account, by user id. */
  user: { threshold: 5, maxLockSeconds: 15 * 60 },
  /** A username no account has (canonical form): throttled like an account, so no enumeration. */
  name: { threshold: 5, maxLockSeconds: 15 * 60 },
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
 *
 * Password checks `reserve` an attempt before hashing: counting it and refusing when a key is
 * locked happen in one statement per key, in one transaction, so of ten concurrent guesses at
 * most the threshold are ever checked. An attempt that turns out right is given back (`release`,
 * or `clear` for the account).
 */
@Injectable()
export class LoginThrottle {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Counts one attempt on every key (as a failure until it is released), or throws 429 and
   * counts nothing when any of them is locked. Reaching a threshold locks the key at once, so
   * attempts that arrive while this one is being checked are refused.
   */
  async reserve(keys: string[]): Promise<void> {
    // Sorted: two requests sharing keys take their row locks in the same order.
    const sorted = [...new Set(keys)].sort();
    const refused = await this.db.transaction(async (m) => {
      for (const key of sorted) {
        if (!(await this.count(m, key, true))) return key;
      }
      return null;
    });
    if (refused !== null)
      throw new TooManyAttemptsError(Math.max(1, await this.lockedSeconds([refused])));
  }

  /** Gives back attempts reserved on `keys` that turned out right (e.g. the client IP's). */
  async release(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.db.query(
        `UPDATE login_throttle
            SET failures = failures - 1,
                locked_until = CASE WHEN failures - 1 < $2 THEN NULL ELSE locked_until END
          WHERE key = $1 AND failures > 0`,
        [key, policyOf(key).threshold],
      );
    }
  }

  async clear(keys: string[]): Promise<void> {
    await this.db.query('DELETE FROM login_throttle WHERE key = ANY($1)', [keys]);
  }

  /**
   * One more failure on `key` (failures older than the window start again from one); locks it
   * when that reaches the threshold. With `onlyIfOpen`, a locked key is left as it is and false
   * is returned. The row stays locked until `m`'s transaction ends.
   */
  private async count(m: EntityManager, key: string, onlyIfOpen: boolean): Promise<boolean> {
    const { threshold, maxLockSeconds } = policyOf(key);
    const [counted] = await queryRows<{ failures: number }>(
      m,
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at)
       VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2) THEN 1 ELSE t.failures + 1 END,
         last_failure_at = now()
       WHERE NOT $3 OR t.locked_until IS NULL OR t.locked_until <= now()
       RETURNING failures`,
      [key, WINDOW_SECONDS, onlyIfOpen],
    );
    if (!counted) return false;
    if (counted.failures >= threshold) {
      await m.query(
        `UPDATE login_throttle
            SET locked_until = now() + make_interval(secs => least($3::float8, 30 * power(2, failures - $2)))
          WHERE key = $1`,
        [key, threshold, maxLockSeconds],
      );
    }
    return true;
  }

  /** Seconds until the last of `keys` unlocks (0 when none is locked). */
  private async lockedSeconds(keys: string[]): Promise<number> {
    const rows = await this.db.query<{ seconds: number }[]>(
      `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS seconds
         FROM login_throttle WHERE key = ANY($1) AND locked_until > now()
        ORDER BY locked_until DESC LIMIT 1`,
      [keys],
    );
    const seconds = rows[0]?.seconds;
    return seconds === undefined ? 0 : Math.max(1, seconds);
  }
}
