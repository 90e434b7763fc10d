import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource } from 'typeorm';

import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';
import { SecretBox, SecretBoxError } from './secret-box';

/** One column that holds sealed secrets, keyed by its row's `id`. */
export interface SealedColumn {
  seal(id: string, plaintext: string): string;
  /** The secret, or null (logged as an error) when the value does not open here. */
  open(id: string, sealed: string): string | null;
}

const IDENTIFIER = /^[a-z_]+$/;

/**
 * Every column of sealed secrets, registered by the module that owns it, so that what has to
 * happen to all of them (sealing values of an older format again at start; key rotation) happens
 * in one place. Modules seal and open through the `SealedColumn` they get here, which binds each
 * value to its table, column and row.
 */
@Injectable()
export class SealedColumns implements OnApplicationBootstrap {
  private readonly logger = new Logger(SealedColumns.name);
  private readonly box: SecretBox;
  private readonly registered: { table: string; column: string }[] = [];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    if (!config.encryptionKey) throw new Error('encryptionKey is not configured');
    this.box = new SecretBox(config.encryptionKey);
  }

  /** Registers `table.column` (call it in a constructor) and returns its sealer. */
  column(table: string, column: string): SealedColumn {
    if (!IDENTIFIER.test(table) || !IDENTIFIER.test(column))
      throw new Error(`bad sealed column ${table}.${column}`);
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

  /** Seals values of the format before associated data and key ids again, row by row. */
  async onApplicationBootstrap(): Promise<void> {
    for (const { table, column } of this.registered) {
      const legacy = await queryRows<{ id: string; sealed: string }>(
        this.db.manager,
        `SELECT id, ${column} AS sealed FROM ${table} WHERE ${column} LIKE 'v1.%'`,
      );
      for (const row of legacy) {
        const resealed = this.box.seal(this.box.openLegacy(row.sealed), {
          table,
          column,
          id: row.id,
        });
        // Only if nobody changed it meanwhile (several instances may start at once).
        await this.db.query(`UPDATE ${table} SET ${column} = $3 WHERE id = $1 AND ${column} = $2`, [
          row.id,
          row.sealed,
          resealed,
        ]);
      }
      if (legacy.length > 0)
        this.logger.log(
          `sealed ${legacy.length} ${table}.${column} value(s) in the current format`,
        );
    }
  }
}
