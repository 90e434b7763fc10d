import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { UsersService } from './users.service';

export const BOOTSTRAP_ADMIN = 'admin';
const LOCK = 0x1e7e_ad31;

/**
 * On the first start of a database (no administrator at all), creates the administrator `admin` with
 * INTEGRIXS_ADMIN_PASSWORD, or with a generated password printed once on stdout. The
 * administrator must enrol MFA at first sign-in.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const password = this.config.adminPassword ?? randomBytes(15).toString('base64url');
    const created = await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LOCK]);
      const [{ n }] = await m.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM users WHERE role = 'ADMINISTRATOR' OR username_canonical = $1`,
        [BOOTSTRAP_ADMIN],
      );
      if (n > 0) return false;
      await this.users.createIn(m, {
        username: BOOTSTRAP_ADMIN,
        displayName: 'Administrator',
        role: 'ADMINISTRATOR',
        password,
      });
      return true;
    });
    if (!created) return;
    this.logger.warn(
      `created the first administrator "${BOOTSTRAP_ADMIN}"; it must enrol MFA at first sign-in`,
    );
    if (this.config.adminPassword === undefined) {
      process.stdout.write(
        `\n  First start: administrator "${BOOTSTRAP_ADMIN}" created with password  ${password}\n` +
          '  It is shown only this once. Sign in, enrol MFA, and change it (or set INTEGRIXS_ADMIN_PASSWORD).\n\n',
      );
    }
  }
}
