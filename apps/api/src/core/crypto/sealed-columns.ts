import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';
import { SEALED_COLUMNS, type SealedColumnName } from './sealed-column-list';
import { countSealedValues, resealColumn, type SqlClient } from './sealed-values';
import { SecretBox, SecretBoxError } from './secret-box';

/** One column that holds sealed secrets, keyed by its row's `id`. */
export interface SealedColumn {
  seal(id: string, plaintext: string): string;
  /** The secret, or null (logged as an error) when the value does not open here. */
  open(id: string, sealed: string): string | null;
}

/**
 * Every column of sealed secrets, registered by the module that owns it (and listed in
 * `SEALED_COLUMNS`, which `npm run keys:rotate` reads), so that what has to happen to all of them
 * happens in one place: values of an older format are sealed again at start, and values whose
 * data key is wrapped by a retired or unknown key are reported. Modules seal and open through the
 * `SealedColumn` they get here, which binds each value to its table, column and row.
 */
@Injectable()
export class SealedColumns implements OnApplicationBootstrap {
  private readonly logger = new Logger(SealedColumns.name);
  private readonly box: SecretBox;
  private readonly registered: SealedColumnName[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    if (!config.encryptionKey) throw new Error('encryptionKey is not configured');
    this.box = new SecretBox(config.encryptionKey, config.retiredEncryptionKeys);
  }

  /** Registers `table.column` (call it in a constructor) and returns its sealer. */
  column(table: string, column: string): SealedColumn {
    if (!SEALED_COLUMNS.some((c) => c.table === table && c.column === column))
      throw new Error(
        `${table}.${column} is not in SEALED_COLUMNS (core/crypto/sealed-column-list.ts): add it there so key rotation re-wraps it`,
      );
    this.registered.push({ table, column });
    return {
      seal: (id, plaintext) => this.box.seal(plaintext, { table, column, id }),
      open: (id, sealed) => {
        try {
          return this.box.open(sealed, { table, column, id });
        } catch (error) {
          if (!(error instanceof SecretBoxError)) throw error;
          // Changed, copied from another row, or sealed with a key that is not configured.
          this.logger.error(`${table}.${column} of ${id} does not open: ${error.message}`);
          return null;
        }
      },
    };
  }

  /**
   * Seals values of the older formats (v1: no associated data or key id; v2: no data key) again
   * as v3, and says how many values are still under a retired key (run `npm run keys:rotate`) or
   * under a key that is not configured (they do not open).
   */
  async onApplicationBootstrap(): Promise<void> {
    const sql: SqlClient = {
      query: async (text, params) => ({ rows: await queryRows(this.db.manager, text, params) }),
    };
    for (const column of this.registered) {
      const { table } = column;
      const result = await resealColumn(sql, this.box, column, 'older-formats');
      if (result.resealed > 0)
        this.logger.log(
          `sealed ${result.resealed} ${table}.${column.column} value(s) in the current format`,
        );
      for (const { id, reason } of result.failed)
        this.logger.error(`${table}.${column.column} of ${id} does not open: ${reason}`);
    }
    for (const count of await countSealedValues(sql, this.box, this.registered)) {
      const where = `${count.count} ${count.table}.${count.column} value(s)`;
      if (count.status === 'retired')
        this.logger.warn(
          `${where} have their data key wrapped by the retired key ${count.keyId}: run npm run keys:rotate`,
        );
      else if (count.status === 'unknown')
        this.logger.error(
          `${where} were sealed with key ${count.keyId ?? `(format ${count.version})`}, which is not configured: they do not open`,
        );
    }
  }
}
