/**
 * `npm run keys:rotate`: re-wraps the data key of every sealed secret (every column in
 * SEALED_COLUMNS) under the active key-encryption key, while the API keeps running. Reads the
 * same configuration as the API (environment, and keys.json outside production). Exit codes:
 * 0 every value is under the active key; 1 some are not (printed: they do not open, or changed
 * meanwhile — run it again); 75 another rotation is running; 78 bad configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { Client } from 'pg';

import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres';
import { createRootLogger } from '../logging/logger';
import { resolveKeys } from './keys';
import { SEALED_COLUMNS, type SealedColumnName } from './sealed-column-list';
import {
  countSealedValues,
  resealColumn,
  type ResealResult,
  type SealedValueCount,
} from './sealed-values';
import { ACTIVE_KEY_VARIABLE, RETIRED_KEYS_VARIABLE, SecretBox } from './secret-box';

/** Arbitrary key for pg_try_advisory_lock: one rotation at a time per database. */
const ROTATION_LOCK = 0x6b65_7973;
const UNDEFINED_TABLE = '42P01';

export interface KeyRotationOptions {
  /** The environment to configure from (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Rows read and written per statement. */
  batchSize?: number;
  /** The columns to rotate (default: every column in SEALED_COLUMNS). */
  columns?: readonly SealedColumnName[];
  /** Where the report goes, line by line (default: stdout). */
  print?: (line: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_VALUES_LEFT = 1;
export const EXIT_LOCKED = 75; // EX_TEMPFAIL
export const EXIT_CONFIG = 78; // EX_CONFIG

/** Runs one rotation and returns the exit code; the report goes to `print`. */
export async function runKeyRotation(options: KeyRotationOptions = {}): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  let config: AppConfig;
  try {
    config = resolveKeys(loadConfig(options.env ?? process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    print(error.message);
    return EXIT_CONFIG;
  }
  const box = new SecretBox(config.encryptionKey ?? '', config.retiredEncryptionKeys);
  print(
    `Key-encryption keys: active ${box.keyId} (${ACTIVE_KEY_VARIABLE}); retired ${box.retiredKeyIds.join(', ') || 'none'} (${RETIRED_KEYS_VARIABLE})`,
  );

  const database = await connect(config, print);
  if (!database) return EXIT_VALUES_LEFT;
  const { client } = database;
  try {
    const locked = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1) AS locked',
      [ROTATION_LOCK],
    );
    if (!locked.rows[0]?.locked) {
      print('Another key rotation is running on this database; try again when it has finished.');
      return EXIT_LOCKED;
    }
    const columns = options.columns ?? SEALED_COLUMNS;
    let failed = 0;
    let changed = 0;
    for (const column of columns) {
      const result = await resealColumn(
        client,
        box,
        column,
        'not-under-active-key',
        options.batchSize,
      );
      printResult(print, result);
      failed += result.failed.length;
      changed += result.changedMeanwhile;
    }
    const left = (await countSealedValues(client, box, columns)).filter(
      (count) => count.status !== 'active',
    );
    return printSummary(print, box, left, failed, changed);
  } finally {
    await client.end();
    await database.embedded?.stop();
  }
}

function printResult(print: (line: string) => void, result: ResealResult): void {
  print(
    `${result.table}.${result.column}: ${result.rewrapped} data key(s) re-wrapped, ${result.resealed} value(s) of an older format sealed again, ${result.changedMeanwhile} changed meanwhile (left as written), ${result.failed.length} do not open`,
  );
  for (const { id, reason } of result.failed) print(`  ${result.table} ${id}: ${reason}`);
}

function printSummary(
  print: (line: string) => void,
  box: SecretBox,
  left: SealedValueCount[],
  failed: number,
  changed: number,
): number {
  if (left.length === 0 && failed === 0) {
    print(
      box.retiredKeyIds.length > 0
        ? `Done: every sealed value is under ${box.keyId}; ${RETIRED_KEYS_VARIABLE} is no longer needed.`
        : `Done: every sealed value is under ${box.keyId}.`,
    );
    return EXIT_OK;
  }
  for (const count of left)
    print(
      `Left: ${count.count} ${count.table}.${count.column} value(s) under ${count.status} key ${count.keyId ?? '(none)'} (${count.version})`,
    );
  if (failed > 0)
    print(
      `${failed} value(s) do not open with the configured keys: keep the key that sealed them configured (or the values are damaged); nothing else was affected.`,
    );
  if (changed > 0) print('Some values changed while rotating: run npm run keys:rotate again.');
  return EXIT_VALUES_LEFT;
}

/** The database the API uses: DATABASE_URL, or the embedded server (started here if not running). */
async function connect(
  config: AppConfig,
  print: (line: string) => void,
): Promise<{ client: Client; embedded?: EmbeddedDatabase } | null> {
  if (config.databaseUrl !== undefined) {
    const client = new Client({ connectionString: config.databaseUrl });
    await client.connect();
    return { client };
  }
  const passwordFile = path.join(config.dataDir, 'pg-password');
  if (!existsSync(passwordFile)) {
    print(
      `DATABASE_URL is not set and ${config.dataDir} holds no embedded PostgreSQL: nothing to rotate there.`,
    );
    return null;
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const url = `postgres://postgres:${encodeURIComponent(password)}@localhost:${config.embeddedPostgresPort}/integrixs`;
  const running = new Client({ connectionString: url });
  try {
    await running.connect();
    return { client: running };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNREFUSED') throw error;
  }
  print('The embedded PostgreSQL is not running; starting it for the rotation.');
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    logger: createRootLogger('warn'),
  });
  const client = new Client({ connectionString: embedded.url });
  await client.connect();
  return { client, embedded };
}

function batchSizeArgument(): number | undefined {
  const { values } = parseArgs({ options: { 'batch-size': { type: 'string' } } });
  const raw = values['batch-size'];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 10_000)
    throw new ConfigError([`--batch-size must be a whole number from 1 to 10000, got "${raw}"`]);
  return Number(raw);
}

if (require.main === module) {
  (async () => {
    let batchSize: number | undefined;
    try {
      batchSize = batchSizeArgument();
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      return EXIT_CONFIG;
    }
    return runKeyRotation({ batchSize });
  })().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if ((error as { code?: string }).code === UNDEFINED_TABLE)
        process.stderr.write(
          `Key rotation failed: ${(error as Error).message}. Is this the Integrixs database, migrated by starting the API once?\n`,
        );
      else
        process.stderr.write(
          `Key rotation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      process.exitCode = 1;
    },
  );
}
