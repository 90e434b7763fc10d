import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { RetentionService } from '../core/retention/retention.service';

/**
 * What identity keeps only for a while: ended sessions' refresh tokens, idle throttle entries,
 * used MFA challenges past their expiry.
 */
@Injectable()
export class IdentityRetention {
  constructor(retention: RetentionService, @Inject(APP_CONFIG) config: AppConfig) {
    retention.register({
      name: 'refresh_tokens',
      run: async (m, batch) => {
        const [, deleted] = await m.query<[unknown[], number]>(
          `DELETE FROM refresh_tokens WHERE id IN (
             SELECT id FROM refresh_tokens
              WHERE greatest(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => $1)
              LIMIT $2)`,
          [config.sessionRetentionDays, batch],
        );
        return deleted;
      },
    });
    // Used MFA challenges matter only until they expire (5 minutes).
    retention.register({
      name: 'mfa_challenges_used',
      run: async (m, batch) => {
        const [, deleted] = await m.query<[unknown[], number]>(
          `DELETE FROM mfa_challenges_used WHERE jti IN (
             SELECT jti FROM mfa_challenges_used WHERE expires_at < now() LIMIT $1)`,
          [batch],
        );
        return deleted;
      },
    });
    retention.register({
      name: 'login_throttle',
      run: async (m, batch) => {
        const [, deleted] = await m.query<[unknown[], number]>(
          `DELETE FROM login_throttle WHERE key IN (
             SELECT key FROM login_throttle
              WHERE last_failure_at < now() - make_interval(hours => $1)
                AND (locked_until IS NULL OR locked_until < now())
              LIMIT $2)`,
          [config.loginThrottleRetentionHours, batch],
        );
        return deleted;
      },
    });
  }
}
