import { type EntityMetadata, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

import { LIST_LIMIT_DEFAULT, parseSort, type SortField, type SortOrder } from '@integrixs/domain';

import { ValidationError } from '../errors/app-error';
import { isStorableText, isTimestampText } from './cursor-values';
import { type ListQueryDto } from './list-query.dto';

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

interface Cursor {
  s: string;
  v: string;
  id: string;
}

const SORT_COLUMNS: Record<SortField, (alias: string, nameColumn: string) => string> = {
  name: (a, name) => `lower(${a}.${name})`,
  createdAt: (a) => `${a}.created_at`,
  updatedAt: (a) => `${a}.updated_at`,
};
const SORT_CASTS: Record<SortField, string> = {
  name: 'text',
  createdAt: 'timestamptz',
  updatedAt: 'timestamptz',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string, sort: string): Cursor {
  let cursor: Partial<Cursor>;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw ValidationError.of('cursor', 'is not a cursor this API issued', 'cursor');
  }
  if (
    typeof cursor !== 'object' ||
    cursor === null ||
    typeof cursor.v !== 'string' ||
    typeof cursor.id !== 'string' ||
    !UUID.test(cursor.id)
  ) {
    throw ValidationError.of('cursor', 'is not a cursor this API issued', 'cursor');
  }
  if (cursor.s !== sort) {
    throw ValidationError.of(
      'cursor',
      `was issued for sort "${String(cursor.s)}", not "${sort}"`,
      'cursor',
    );
  }
  // Bound as a parameter, yet a value PostgreSQL cannot cast must not reach it.
  const field = parseSort(sort).field;
  const fits = SORT_CASTS[field] === 'timestamptz' ? isTimestampText : isStorableText;
  if (!fits(cursor.v)) {
    throw ValidationError.of('cursor', 'is not a cursor this API issued', 'cursor');
  }
  return cursor as Cursor;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * Applies the shared list filters: `q` (prefix full-text over the `search` tsvector, tokenised
 * by PostgreSQL exactly as the indexed text is: see integrixs_prefix_tsquery), `tag`,
 * `createdFrom`, `createdTo`.
 */
export function applyListFilters<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: ListQueryDto,
): SelectQueryBuilder<T> {
  if (query.q !== undefined && query.q.trim() !== '') {
    qb.andWhere(`${alias}.search @@ integrixs_prefix_tsquery(:q)`, { q: query.q });
  }
  if (query.tag !== undefined)
    qb.andWhere(`${alias}.tags @> ARRAY[:tag]::text[]`, { tag: query.tag });
  if (query.createdFrom !== undefined) {
    qb.andWhere(`${alias}.created_at >= :createdFrom`, { createdFrom: query.createdFrom });
  }
  if (query.createdTo !== undefined)
    qb.andWhere(`${alias}.created_at < :createdTo`, { createdTo: query.createdTo });
  return qb;
}

/**
 * Runs a filtered query as one keyset page: `{ items, total, nextCursor }`. The cursor carries the
 * sort key's exact database value (as text, so timestamps keep their microseconds) and the id.
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  query: Pick<ListQueryDto, 'sort' | 'limit' | 'cursor'>,
  options: {
    /** Counts `total` (default: `qb`); pass the same filters without joins that cannot change the count. */
    countQuery?: SelectQueryBuilder<T>;
    defaultSort?: string;
    /** The column `sort=name` orders by (case-insensitively); default `name`. */
    nameColumn?: string;
  } = {},
): Promise<Page<T>> {
  const sortKey = query.sort ?? options.defaultSort ?? 'name';
  const sort: SortOrder = parseSort(sortKey);
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const column = SORT_COLUMNS[sort.field](alias, options.nameColumn ?? 'name');
  const direction = sort.descending ? 'DESC' : 'ASC';

  const pageQuery = qb.clone();
  if (query.cursor !== undefined) {
    const cursor = decodeCursor(query.cursor, sortKey);
    const op = sort.descending ? '<' : '>';
    pageQuery.andWhere(
      `(${column}, ${alias}.id) ${op} (CAST(:cursorValue AS ${SORT_CASTS[sort.field]}), CAST(:cursorId AS uuid))`,
      {
        cursorValue: cursor.v,
        cursorId: cursor.id,
      },
    );
  }
  pageQuery
    .addSelect(`(${column})::text`, 'cursor_value')
    .orderBy(column, direction)
    .addOrderBy(`${alias}.id`, direction)
    .limit(limit + 1);

  const [total, raw] = await Promise.all([
    (options.countQuery ?? qb).clone().getCount(),
    pageQuery.getRawMany<Record<string, unknown>>(),
  ]);
  const hasMore = raw.length > limit;
  const items = raw.slice(0, limit).map((row) => hydrate(pageQuery, row));
  const last = items.at(-1);
  const lastRaw = raw[items.length - 1];
  const nextCursor =
    hasMore && last && lastRaw
      ? encodeCursor({ s: sortKey, v: String(lastRaw['cursor_value']), id: last['id'] as string })
      : null;
  return { items, total, nextCursor };
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
