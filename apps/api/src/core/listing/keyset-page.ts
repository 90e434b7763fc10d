import { type EntityMetadata, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

import { LIST_LIMIT_DEFAULT, parseSort, type SortField, type SortOrder } from '@integrixs/domain';

import { andWhereBound, type BindParam, type SqlParams } from '../database/sql-params';
import {
  afterCursorSql,
  cutPage,
  decodeCursor,
  orderBySql,
  type CursorValue,
  type KeysetKey,
  type KeysetOrder,
} from './cursor';
import { type ListQueryDto } from './list-query.dto';

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** A page of a searchable list: `total` is exact up to a cap, an estimate beyond it (flagged). */
export interface CountedPage<T> extends Page<T> {
  totalIsEstimate: boolean;
}

const SORT_KEYS: Record<SortField, (alias: string, nameColumn: string) => KeysetKey> = {
  name: (a, name) => ({ sql: `lower(${a}.${name})`, type: 'text' }),
  createdAt: (a) => ({ sql: `${a}.created_at`, type: 'timestamptz' }),
  updatedAt: (a) => ({ sql: `${a}.updated_at`, type: 'timestamptz' }),
};

/** The keyset order of a `sort` value on an entity list: the sort column, then the id. */
export function sortOrder(sortKey: string, alias: string, nameColumn: string): KeysetOrder {
  const sort: SortOrder = parseSort(sortKey);
  return {
    name: sortKey,
    descending: sort.descending,
    keys: [SORT_KEYS[sort.field](alias, nameColumn), { sql: `${alias}.id`, type: 'uuid' }],
  };
}

/**
 * The shared list filters as raw SQL conditions (values bound through `bind`): `q` (prefix
 * full-text over the `search` tsvector, tokenised by PostgreSQL exactly as the indexed text is:
 * see integrixs_prefix_tsquery), `tag`, `createdFrom`, `createdTo`.
 */
export function listFiltersSql(alias: string, query: ListQueryDto, bind: BindParam): string[] {
  const where: string[] = [];
  if (query.q !== undefined && query.q.trim() !== '') {
    where.push(`${alias}.search @@ integrixs_prefix_tsquery(${bind(query.q)})`);
  }
  if (query.tag !== undefined) where.push(`${alias}.tags @> ARRAY[${bind(query.tag)}]::text[]`);
  if (query.createdFrom !== undefined) {
    where.push(`${alias}.created_at >= ${bind(query.createdFrom)}::timestamptz`);
  }
  if (query.createdTo !== undefined) {
    where.push(`${alias}.created_at < ${bind(query.createdTo)}::timestamptz`);
  }
  return where;
}

/**
 * Runs a filtered query as one keyset page: `{ items, total, nextCursor }`. The cursor carries the
 * sort key's exact database value (as text, so timestamps keep their microseconds) and the id.
 */
export async function keysetPage<T extends ObjectLiteral, R = T>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: Pick<ListQueryDto, 'sort' | 'limit' | 'cursor'>,
  options: {
    /** Counts `total` (default: `qb`); pass the same filters without joins that cannot change the count. */
    countQuery?: SelectQueryBuilder<T>;
    defaultSort?: string;
    /** The column `sort=name` orders by (case-insensitively); default `name`. */
    nameColumn?: string;
    /** Builds an item from the entity and its raw row (for columns selected beside the entity). */
    item?: (entity: T, row: Record<string, unknown>) => R;
  } = {},
): Promise<Page<R>> {
  const order = sortOrder(
    query.sort ?? options.defaultSort ?? 'name',
    alias,
    options.nameColumn ?? 'name',
  );
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const direction = order.descending ? 'DESC' : 'ASC';

  const pageQuery = qb.clone();
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, order);
    andWhereBound(pageQuery, (bind) => afterCursorSql(order, after, bind));
  }
  pageQuery.addSelect(`(${order.keys[0].sql})::text`, 'cursor_value');
  order.keys.forEach((key, i) =>
    i === 0 ? pageQuery.orderBy(key.sql, direction) : pageQuery.addOrderBy(key.sql, direction),
  );
  pageQuery.limit(limit + 1);

  const [total, raw] = await Promise.all([
    (options.countQuery ?? qb).clone().getCount(),
    pageQuery.getRawMany<Record<string, unknown>>(),
  ]);
  const page = cutPage(raw, limit, order, (row) => [
    String(row['cursor_value']),
    String(row[`${alias}_id`]),
  ]);
  const build = options.item ?? ((entity: T) => entity as unknown as R);
  return {
    items: page.rows.map((row) => build(hydrate(pageQuery, row), row)),
    total,
    nextCursor: page.nextCursor,
  };
}

/** What a raw SQL list needs to be paged by `sqlKeysetPage`. */
export interface SqlList<R> {
  /** `SELECT … FROM …`: the page's columns and tables, without WHERE. */
  select: string;
  /** The list's filters (their values bound through `params`), without the keyset. */
  where: readonly string[];
  params: SqlParams;
  order: KeysetOrder;
  /** The key values of a row, in `order`'s key order, as the database wrote them. */
  keysOf: (row: R) => readonly CursorValue[];
  /** `total`: a number the caller knows, or `SELECT count(*)::int AS n FROM …` for the filtered rows. */
  total: number | string;
}

/**
 * Runs raw SQL and returns its rows (`queryRows` bound to a manager, or `DataSource.query`).
 * `statement` names a statement to prepare once per connection and run by name afterwards (its
 * plan cached by PostgreSQL); runners without a statement cache ignore it.
 */
export type RunSql = <X>(sql: string, params: unknown[], statement?: string) => Promise<X[]>;

/** The raw SQL form of `keysetPage`: the same cursor, order and `{ items, total, nextCursor }`. */
export async function sqlKeysetPage<R>(
  run: RunSql,
  list: SqlList<R>,
  query: Pick<ListQueryDto, 'limit' | 'cursor'>,
): Promise<Page<R>> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const { params, order } = list;
  const filter = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
  const countParams = [...params.values];
  const where = [...list.where];
  if (query.cursor !== undefined) {
    where.push(afterCursorSql(order, decodeCursor(query.cursor, order), params.bind));
  }
  const pageSql = `${list.select} ${filter(where)} ORDER BY ${orderBySql(order)} LIMIT ${params.bind(limit + 1)}`;
  const [counted, rows] = await Promise.all([
    typeof list.total === 'number'
      ? [{ n: list.total }]
      : run<{ n: number }>(`${list.total} ${filter(list.where)}`, countParams),
    run<R>(pageSql, params.values),
  ]);
  const page = cutPage(rows, limit, order, list.keysOf);
  return { items: page.rows, total: counted[0]?.n ?? 0, nextCursor: page.nextCursor };
}

/**
 * Builds the entity (and its selected joined relations) from one raw row of a list query. Lists
 * select plain columns only (text, numbers, uuids, timestamps, arrays, jsonb) that `pg` already
 * converts, so this is a straight copy: TypeORM's general-purpose transformer cost a list page
 * several times more.
 */
function hydrate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  row: Record<string, unknown>,
): T {
  const fill = (metadata: EntityMetadata, alias: string): ObjectLiteral => {
    const entity = metadata.create() as ObjectLiteral;
    for (const column of metadata.columns) {
      const value = row[`${alias}_${column.databaseName}`];
      if (value !== undefined) entity[column.propertyName] = value;
    }
    return entity;
  };
  const main = qb.expressionMap.mainAlias;
  if (!main?.hasMetadata) throw new Error('keysetPage needs an entity query');
  const entity = fill(main.metadata, main.name);
  for (const join of qb.expressionMap.joinAttributes) {
    if (join.isSelected && join.relation && join.alias.hasMetadata) {
      entity[join.relation.propertyName] = fill(join.alias.metadata, join.alias.name);
    }
  }
  return entity as T;
}
