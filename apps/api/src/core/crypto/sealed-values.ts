import { type SealedColumnName } from './sealed-column-list';
import { headerOf, SecretBoxError, type SecretBox } from './secret-box';

/**
 * The little of a PostgreSQL client this needs (a `pg` Client or Pool, or TypeORM through an
 * adapter), so the same code runs inside the API and in `npm run keys:rotate` without Nest.
 */
export interface SqlClient {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
}

/** How many values of a column one key (or format) holds. */
export interface SealedValueCount extends SealedColumnName {
  /** `v1`, `v2`, `v3`, or whatever else the text starts with. */
  version: string;
  keyId: string | null;
  /** `active`/`retired`: configured; `unknown`: does not open here; `legacy`: v1, sealed again at start. */
  status: 'active' | 'retired' | 'unknown' | 'legacy';
  count: number;
}

/** What one pass over a column did. */
export interface ResealResult extends SealedColumnName {
  /** v3 values whose data key is now wrapped by the active key (ciphertext unchanged). */
  rewrapped: number;
  /** v1 and v2 values sealed again as v3 under the active key. */
  resealed: number;
  /** Rows changed by someone else between reading and writing them, left as they are. */
  changedMeanwhile: number;
  /** Rows whose value does not open here, and why. */
  failed: { id: string; reason: string }[];
}

/**
 * Which values a pass handles: at start only the older formats (v1, v2); for a key rotation
 * everything not under the active key.
 */
export type ResealScope = 'older-formats' | 'not-under-active-key';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Counts a column's values per format and key. */
export async function countSealedValues(
  db: SqlClient,
  box: SecretBox,
  columns: readonly SealedColumnName[],
): Promise<SealedValueCount[]> {
  const counts: SealedValueCount[] = [];
  for (const { table, column } of columns) {
    const { rows } = await db.query(
      `SELECT split_part(${column}, '.', 1) AS version,
              CASE WHEN starts_with(${column}, 'v1.') THEN NULL ELSE split_part(${column}, '.', 2) END AS key_id,
              count(*)::int AS count
         FROM ${table} WHERE ${column} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
      [],
    );
    for (const row of rows as { version: string; key_id: string | null; count: number }[]) {
      const header = headerOf(`${row.version}.${row.key_id ?? ''}`);
      counts.push({
        table,
        column,
        version: row.version,
        keyId: header?.keyId ?? row.key_id,
        status: header?.version === 'v1' ? 'legacy' : box.statusOf(header ? header.keyId : null),
        count: row.count,
      });
    }
  }
  return counts;
}

/**
 * Seals a column's values again under the active key, in batches by id. Every row is written
 * only if it still holds the value that was read (compare-and-set), so the API may go on
 * writing while this runs, and running it twice does nothing the second time.
 */
export async function resealColumn(
  db: SqlClient,
  box: SecretBox,
  { table, column }: SealedColumnName,
  scope: ResealScope,
  batchSize = 500,
): Promise<ResealResult> {
  const result: ResealResult = {
    table,
    column,
    rewrapped: 0,
    resealed: 0,
    changedMeanwhile: 0,
    failed: [],
  };
  const filter =
    scope === 'older-formats'
      ? `(starts_with(${column}, 'v1.') OR starts_with(${column}, 'v2.'))`
      : `NOT starts_with(${column}, $3)`;
  const params = scope === 'older-formats' ? [] : [`v3.${box.keyId}.`];
  for (let after = NIL_UUID; ;) {
    const { rows } = await db.query(
      `SELECT id::text AS id, ${column} AS sealed FROM ${table}
        WHERE id > $1 AND ${column} IS NOT NULL AND ${filter} ORDER BY id LIMIT $2`,
      [after, batchSize, ...params],
    );
    const batch = rows as { id: string; sealed: string }[];
    if (batch.length === 0) return result;
    after = batch[batch.length - 1]?.id ?? after;

    const updates: { id: string; old: string; next: string; resealed: boolean }[] = [];
    for (const { id, sealed } of batch) {
      const at = { table, column, id };
      try {
        const version = headerOf(sealed)?.version;
        const next =
          version === 'v1' ? box.seal(box.openLegacy(sealed), at) : box.rewrap(sealed, at);
        if (next !== null) updates.push({ id, old: sealed, next, resealed: version !== 'v3' });
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        result.failed.push({ id, reason: error.message });
      }
    }
    if (updates.length === 0) continue;
    const { rows: written } = await db.query(
      `UPDATE ${table} AS t SET ${column} = v.next
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, old, next)
        WHERE t.id = v.id AND t.${column} = v.old
        RETURNING t.id::text AS id`,
      [updates.map((u) => u.id), updates.map((u) => u.old), updates.map((u) => u.next)],
    );
    const done = new Set((written as { id: string }[]).map((row) => row.id));
    for (const update of updates) {
      if (!done.has(update.id)) result.changedMeanwhile++;
      else if (update.resealed) result.resealed++;
      else result.rewrapped++;
    }
  }
}
