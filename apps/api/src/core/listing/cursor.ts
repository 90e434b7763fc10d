import { isUuid } from '@integrixs/domain';

import { type BindParam } from '../database/sql-params';
import { ValidationError } from '../errors/app-error';
import { isStorableText, isTimestampText } from './cursor-values';

/**
 * The one cursor format of every list (packages, assets, users, audit, versions): base64url of
 * `{ "s": <order>, "k": [<key values of the last row>] }`. Opaque to clients, yet not trusted:
 * `decodeCursor` checks it was issued for this order and that every value is one PostgreSQL can
 * take as its key column's type, so a forged cursor is a 400 naming `cursor`, never a failed cast.
 */

/** The PostgreSQL type of one key column (what its cursor value is cast to). */
export type KeyType = 'timestamptz' | 'text' | 'uuid' | 'integer';

export interface KeysetKey {
  /** SQL expression of the key (`lower(p.name)`, `a.id`, `occurred_at`). */
  readonly sql: string;
  readonly type: KeyType;
}

/**
 * An order a list pages through: its name (what a cursor is tied to, e.g. the `sort` value) and
 * its keys, most significant first, all in one direction. The keys together must be unique
 * (end with the id), so a page boundary never splits or repeats rows.
 */
export interface KeysetOrder {
  readonly name: string;
  readonly descending: boolean;
  readonly keys: readonly KeysetKey[];
}

export type CursorValue = string | number;

const INT_MAX = 2 ** 31 - 1;

const FITS: Record<KeyType, (value: unknown) => boolean> = {
  timestamptz: (v) => typeof v === 'string' && isTimestampText(v),
  text: (v) => typeof v === 'string' && isStorableText(v),
  uuid: isUuid,
  integer: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT_MAX,
};

const notIssued = () => ValidationError.of('cursor', 'is not a cursor this API issued', 'cursor');

export function encodeCursor(order: KeysetOrder, values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: order.name, k: values })).toString('base64url');
}

/** The key values `raw` carries, once it is known to be a cursor of `order` with values that fit. */
export function decodeCursor(raw: string, order: KeysetOrder): CursorValue[] {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw notIssued();
  }
  if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) throw notIssued();
  const { s, k } = cursor as { s?: unknown; k?: unknown };
  if (typeof s !== 'string' || !Array.isArray(k)) throw notIssued();
  if (s !== order.name) {
    throw ValidationError.of(
      'cursor',
      `was issued for the order "${s.slice(0, 40)}", not "${order.name}"`,
      'cursor',
    );
  }
  const values: unknown[] = k;
  if (
    values.length !== order.keys.length ||
    !order.keys.every((key, i) => FITS[key.type](values[i]))
  )
    throw notIssued();
  return values as CursorValue[];
}

/** `ORDER BY` body for `order`: every key in its direction. */
export function orderBySql(order: KeysetOrder): string {
  const direction = order.descending ? 'DESC' : 'ASC';
  return order.keys.map((key) => `${key.sql} ${direction}`).join(', ');
}

/** The condition "after the row `values` are the keys of" (a row-value comparison, index-friendly). */
export function afterCursorSql(
  order: KeysetOrder,
  values: readonly CursorValue[],
  bind: BindParam,
): string {
  const keys = order.keys.map((key) => key.sql).join(', ');
  const bound = order.keys.map((key, i) => `CAST(${bind(values[i])} AS ${key.type})`).join(', ');
  return `(${keys}) ${order.descending ? '<' : '>'} (${bound})`;
}

/**
 * Cuts the `limit + 1` rows a page query fetched down to one page, with the cursor of the next
 * page when there is one (`keysOf`: the key values of a row, as the database wrote them).
 */
export function cutPage<R>(
  rows: readonly R[],
  limit: number,
  order: KeysetOrder,
  keysOf: (row: R) => readonly CursorValue[],
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last !== undefined ? encodeCursor(order, keysOf(last)) : null,
  };
}
