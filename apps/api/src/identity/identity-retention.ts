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
      select: `SELECT id FROM refresh_tokens
                WHERE greatest(expires_at, coalesce(revoked_at, expires_at)) < now() - make_interval(days => $1)`,
      params: () => [config.sessionRetentionDays],
    });
    // Used MFA challenges matter only until they expire (5 minutes).
    retention.register({
      name: 'mfa_challenges_used',
      key: 'jti',
      select: `SELECT jti FROM mfa_challenges_used WHERE expires_at < now()`,
    });
    retention.register({
      name: 'login_throttle',
      key: 'key',
      select: `SELECT key FROM login_throttle
                WHERE last_failure_at < now() - make_interval(hours => $1)
                  AND (locked_until IS NULL OR locked_until < now())`,
      params: () => [config.loginThrottleRetentionHours],
    });
  }
}
