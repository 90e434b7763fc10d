import { type BindParam } from '../core/database/sql-params';
import { type CountedSqlList } from '../core/listing/counted-page';
import { type VisibilityScope } from '../identity/principal';
import { visiblePackagesSql } from '../identity/visibility-filter';
import { type AssetSearchQueryDto } from './dto/asset-list-query.dto';

/**
 * The capped count of a one-word search from the term index (asset_search_terms, migration
 * 1764830000000), for `countedSqlPage`'s `indexedCount`: the first `2 × (cap + 1)` entries whose
 * term starts with the word's lexeme, read from the index alone. An asset with two such terms
 * (`invoice`, `invoices`) has two entries, so assets are counted distinct, and the answer stands
 * when the sample held every entry (exact) or more than `cap` assets; otherwise (or for a query
 * of several words) it is NULL and the list counts by scanning as before. Only live assets have
 * terms, and the visibility rule is checked on the entry's package: a caller never counts what
 * it cannot read.
 *
 * Undefined when the search has filters the term index does not hold (type, status, tag, dates).
 */
export function indexedSearchCount(
  query: AssetSearchQueryDto,
  scope: VisibilityScope,
  bind: BindParam,
  cap: number,
): string | undefined {
  const q = query.q?.trim();
  const filtered = [query.type, query.status, query.tag, query.createdFrom, query.createdTo];
  if (!q || filtered.some((value) => value !== undefined)) return undefined;
  const lexeme = `integrixs_prefix_lexeme(${bind(query.q)})`;
  const visible = visiblePackagesSql(scope, 't.package_id', bind);
  const sample = 2 * (cap + 1);
  return `SELECT CASE WHEN ${lexeme} IS NOT NULL
                       AND (count(*) < ${sample} OR count(DISTINCT asset_id) > ${cap})
                      THEN least(count(DISTINCT asset_id), ${cap + 1})::int END
            FROM (SELECT t.asset_id FROM asset_search_terms t
                   WHERE t.term ^@ ${lexeme} AND ${visible} LIMIT ${sample}) sampled`;
}

/** One word of letters and digits: PostgreSQL's parser makes it exactly one lexeme. */
const ONE_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * The hot search (one word, default order, no filters, a caller who may read every package) as
 * one statement whose single cached plan fits every word, for `countedSqlPage`'s `planned`. The
 * term index samples `2 × (cap + 1)` entries once (a CTE): they give the capped count as
 * `indexedSearchCount` does, and choose the page's branch at run time (one-time filters, the
 * other branch is not run). A sample that holds every entry (a rarer word) pages over the assets
 * it names; otherwise the word is frequent and the page walks the name index, filtering on the
 * tsquery (kept away from the GIN index by `IS TRUE`, which suits only rare words), until the page
 * is full. The word's lexeme and tsquery are computed once (InitPlans), not per row, and the
 * prefix is a btree range on `term` (`^@` is a range only for a constant prefix).
 *
 * Undefined for any other search: the planner then plans it for its own values, as before.
 */
export function plannedSearchPage(
  query: AssetSearchQueryDto,
  scope: VisibilityScope,
  cap: number,
): CountedSqlList<unknown>['planned'] {
  const q = query.q?.trim();
  const filtered = [query.type, query.status, query.tag, query.createdFrom, query.createdTo];
  const everyPackage = scope.all && !scope.packageIds;
  if (!q || !ONE_WORD.test(q) || !everyPackage || (query.sort ?? 'name') !== 'name') return;
  if (filtered.some((value) => value !== undefined)) return;
  return (bind, page) => {
    const text = bind(query.q);
    const lexeme = `(SELECT integrixs_prefix_lexeme(${text}))`;
    const tsquery = `(SELECT integrixs_prefix_tsquery(${text}))`;
    const sample = 2 * (cap + 1);
    const live = 'a.deleted_at IS NULL';
    return {
      with: `WITH sampled AS MATERIALIZED (
               SELECT t.asset_id FROM asset_search_terms t
                WHERE t.term >= ${lexeme}
                  AND t.term < (SELECT integrixs_prefix_lexeme(${text}) || chr(1114111))
                LIMIT ${sample}),
             counted AS MATERIALIZED (
               SELECT ${lexeme} IS NOT NULL AND count(*) < ${sample} AS whole,
                      CASE WHEN ${lexeme} IS NOT NULL
                                AND (count(*) < ${sample} OR count(DISTINCT asset_id) > ${cap})
                           THEN least(count(DISTINCT asset_id), ${cap + 1})::int END AS n
                 FROM sampled)`,
      count: 'SELECT n FROM counted',
      rows: `(${page(['NOT (SELECT whole FROM counted)', live, `(a.search @@ ${tsquery}) IS TRUE`])})
             UNION ALL
             (${page(['(SELECT whole FROM counted)', 'a.id IN (SELECT asset_id FROM sampled)', live, `a.search @@ ${tsquery}`])})`,
    };
  };
}
