import { createHash } from 'node:crypto';

import { LIST_LIMIT_DEFAULT } from '@integrixs/domain';

import { SqlParams, type BindParam } from '../database/sql-params';
import {
  afterCursorSql,
  cutPage,
  decodeCursor,
  orderBySql,
  type CursorValue,
  type KeysetOrder,
} from './cursor';
import { type CountedPage, type RunSql } from './keyset-page';
import { type ListQueryDto } from './list-query.dto';

/**
 * A searchable list (packages, a package's libraries, asset search) in raw SQL: paged by keyset
 * like `sqlKeysetPage`, but counted only up to a cap. An exact `total` of a frequent word visits
 * every matching row (~11k for "invoice" in the benchmark's 100k assets), which made search ten
 * times slower than any other read; counting stops at `cap + 1` rows instead, and past the cap
 * `total` is PostgreSQL's own row estimate for the filters (or `cap + 1`, see `estimate`),
 * flagged `totalIsEstimate`.
 */
export interface CountedSqlList<R> {
  /** Alias of the listed table; the order keys use it, and the cut page is re-read under it. */
  alias: string;
  /** The page's columns. Every order key's column must be among them under its own name. */
  columns: string;
  /** `FROM … [JOIN …]`: the listed rows and what the page shows beside them. */
  from: string;
  /** `FROM …` for the count: the same rows, without joins that cannot change how many. */
  countFrom: string;
  /** The list's filters (values bound through `params`), without the keyset. */
  where: readonly string[];
  params: SqlParams;
  order: KeysetOrder;
  /** The key values of a row, in `order`'s key order (the first as `cursor_value` text). */
  keysOf: (row: R & CountedRow) => readonly CursorValue[];
  /** Counting stops past this many rows. */
  cap: number;
  /**
   * Whether a total past the cap may be the planner's estimate. PostgreSQL's statistics describe
   * every row, readable or not, so only a caller who may read every package gets one; anyone
   * else gets `cap + 1` ("more than cap"), which reveals nothing beyond what they can page to.
   */
  estimate: boolean;
  /** Columns computed only for the rows of the cut page (e.g. each package's asset counts). */
  extra?: { columns: string; joins?: string };
  /**
   * A cheaper way to the same capped count (e.g. asset search's term index): a scalar query
   * giving the number of matches up to `cap + 1`, or NULL when it cannot tell (its values bound
   * with `bind`), or undefined when it does not apply. The scan runs only when this gives NULL.
   */
  indexedCount?: (bind: BindParam) => string | undefined;
  /**
   * The page statement in a form whose one plan fits every value (e.g. asset search's term-index
   * branches), run as a named statement so PostgreSQL plans it once per connection: given the
   * binder of its own parameters and `page(where)`, the page's SELECT under extra conditions
   * (columns, keyset, order and limit included), it returns `with` (a `WITH …` clause or ''),
   * `count` (the capped count as a scalar query, NULL when it cannot tell, as `indexedCount`)
   * and `rows` (the page's rows, ordered and limited like `page`), or undefined when it does not
   * apply. `where` still defines the count and estimate statements run after it.
   */
  planned?: (
    bind: BindParam,
    page: (where: readonly string[]) => string,
  ) => PlannedPage | undefined;
}

/** The parts of a `planned` page statement (see CountedSqlList.planned). */
export interface PlannedPage {
  with: string;
  count: string;
  rows: string;
}

/** What every row of a counted page carries besides the list's columns. */
export interface CountedRow {
  /** The first order key as PostgreSQL writes it (so timestamps keep their microseconds). */
  cursor_value: string;
  /** Null when an indexed count could not tell (see `indexedCount`). */
  total_n: number | null;
}

/**
 * One page and its `total` in one round trip: the capped count is an uncorrelated subquery of
 * the page (PostgreSQL runs it once), and the page's extra columns are computed after the page
 * is cut, for its rows only. An empty page (no match, or past the last) counts on its own, as
 * does a page whose indexed count could not tell, and a total past the cap costs one more round
 * trip for the estimate (planning only, nothing is read).
 */
export async function countedSqlPage<R>(
  run: RunSql,
  list: CountedSqlList<R>,
  query: Pick<ListQueryDto, 'limit' | 'cursor'>,
): Promise<CountedPage<R & CountedRow>> {
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const { alias, params, order, cap } = list;
  const filter = (where: readonly string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
  const matchingParams = [...params.values];
  const matching = `${list.countFrom} ${filter(list.where)}`;
  const scanCount = `SELECT count(*)::int AS n FROM (SELECT 1 ${matching} LIMIT ${cap + 1}) capped`;
  const indexed = list.indexedCount?.(params.bind);
  // The page carries the indexed count alone (the scan is not even planned); the rare NULL is
  // counted by the scan afterwards. Standing alone, COALESCE runs the scan only for a NULL.
  const pageCount = indexed ?? scanCount;
  const countSql = indexed ? `SELECT coalesce((${indexed}), (${scanCount})) AS n` : scanCount;
  const countParams = [...params.values];

  const pageOf = (pageParams: SqlParams) => {
    const keyset =
      query.cursor === undefined
        ? []
        : [afterCursorSql(order, decodeCursor(query.cursor, order), pageParams.bind)];
    const limitParam = pageParams.bind(limit + 1);
    return (where: readonly string[]) => `SELECT ${list.columns},
        (${order.keys[0]?.sql})::text AS cursor_value ${list.from}
      ${filter([...where, ...keyset])} ORDER BY ${orderBySql(order)} LIMIT ${limitParam}`;
  };
  const plannedParams = new SqlParams();
  const planned = list.planned?.(plannedParams.bind, pageOf(plannedParams));
  const extra = list.extra ? `, ${list.extra.columns}` : '';
  const statement = (withSql: string, count: string, pageRows: string) => `${withSql}
    SELECT ${alias}.*, (${count}) AS total_n${extra}
      FROM (${pageRows}) ${alias} ${list.extra?.joins ?? ''}
     ORDER BY ${orderBySql(order)}`;
  let rows: (R & CountedRow)[];
  if (planned) {
    const sql = statement(planned.with, planned.count, planned.rows);
    rows = await run<R & CountedRow>(sql, plannedParams.values, statementName(sql));
  } else {
    const page = pageOf(params)(list.where);
    rows = await run<R & CountedRow>(statement('', pageCount, page), params.values);
  }
  const cut = cutPage(rows, limit, order, list.keysOf);
  // A first page that holds every match is its own exact count, whatever the cap.
  const wholeList = query.cursor === undefined && cut.nextCursor === null;
  const count = async (sql: string, values: unknown[]) =>
    (await run<{ n: number }>(sql, values))[0]?.n ?? 0;
  const counted = wholeList
    ? rows.length
    : rows[0] === undefined
      ? await count(countSql, countParams)
      : (rows[0].total_n ?? (await count(scanCount, matchingParams)));
  if (wholeList || counted <= cap) {
    return { items: cut.rows, total: counted, totalIsEstimate: false, nextCursor: cut.nextCursor };
  }
  if (!list.estimate) {
    return { items: cut.rows, total: cap + 1, totalIsEstimate: true, nextCursor: cut.nextCursor };
  }
  const [explained] = await run<{ 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 ${matching}`,
    matchingParams,
  );
  const estimate = Math.round(explained?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
  // More than `cap` rows were seen: an estimate below that would be a known lie.
  return {
    items: cut.rows,
    total: Math.max(cap + 1, estimate),
    totalIsEstimate: true,
    nextCursor: cut.nextCursor,
  };
}

/** A prepared statement's name: its text's digest, so one name never stands for two texts. */
function statementName(sql: string): string {
  return `ixs_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}
