import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { writeAudit } from '../core/audit/audit-writer';
import { SealedColumns, type SealedColumn } from '../core/crypto/sealed-columns';
import { queryRows } from '../core/database/query-rows';
import { currentActor } from '../core/request-context/request-context';

/** Where a secret applies: the base configuration (null) or one environment. */
export type SecretScope = string | null;

/**
 * An adapter's secrets (passwords, keys, tokens), one sealed row per adapter, environment and
 * JSON pointer in `adapter_secrets`: never in asset_versions, never answered. Each value is
 * sealed with its row id as associated data, so a value copied to another row does not open.
 * The audit log records which pointers changed, never a value.
 */
@Injectable()
export class AdapterSecrets {
  private readonly box: SealedColumn;

  constructor(sealed: SealedColumns) {
    this.box = sealed.column('adapter_secrets', 'value');
  }

  /** Sets (or replaces) the given secrets of one scope; other pointers stay as they are. */
  async put(
    m: EntityManager,
    asset: { id: string; packageId: string },
    scope: SecretScope,
    secrets: Readonly<Record<string, string>>,
  ): Promise<void> {
    const pointers = Object.keys(secrets).sort();
    if (pointers.length === 0) return;
    await this.remove(m, asset.id, scope, pointers);
    for (const pointer of pointers) {
      // A fresh id per value: its ciphertext is bound to this row.
      const id = randomUUID();
      await m.query(
        `INSERT INTO adapter_secrets (id, asset_id, environment_id, pointer, value, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, asset.id, scope, pointer, this.box.seal(id, secrets[pointer]), currentActor()],
      );
    }
    await writeAudit(m, [
      {
        action: 'UPDATE',
        entityType: 'adapter_credentials',
        entityId: asset.id,
        packageId: asset.packageId,
        // Which fields were set where (a key ending in "rotated" is a fact, not redacted).
        changes: { secretsRotated: { after: { environmentId: scope, pointers } } },
      },
    ]);
  }

  async remove(
    m: EntityManager,
    assetId: string,
    scope: SecretScope,
    pointers: readonly string[],
  ): Promise<void> {
    await m.query(
      `DELETE FROM adapter_secrets
        WHERE asset_id = $1 AND environment_id IS NOT DISTINCT FROM $2 AND pointer = ANY($3)`,
      [assetId, scope, pointers],
    );
  }

  /** Pointers set per scope (`null` key: base), without opening anything. */
  async setPointers(m: EntityManager, assetId: string): Promise<Map<SecretScope, Set<string>>> {
    const rows = await queryRows<{ environment_id: string | null; pointer: string }>(
      m,
      `SELECT environment_id, pointer FROM adapter_secrets WHERE asset_id = $1`,
      [assetId],
    );
    const byScope = new Map<SecretScope, Set<string>>();
    for (const row of rows) {
      const set = byScope.get(row.environment_id) ?? new Set<string>();
      set.add(row.pointer);
      byScope.set(row.environment_id, set);
    }
    return byScope;
  }

  /** The opened secrets an environment uses: its own, else the base configuration's. */
  async openFor(
    m: EntityManager,
    assetId: string,
    environmentId: string,
  ): Promise<Record<string, string>> {
    const rows = await queryRows<{ id: string; pointer: string; value: string }>(
      m,
      `SELECT id, pointer, value FROM adapter_secrets
        WHERE asset_id = $1 AND (environment_id IS NULL OR environment_id = $2)
        ORDER BY environment_id NULLS FIRST`,
      [assetId, environmentId],
    );
    const secrets: Record<string, string> = {};
    for (const row of rows) {
      const opened = this.box.open(row.id, row.value);
      if (opened !== null) secrets[row.pointer] = opened;
    }
    return secrets;
  }
}
