import { type BindParam } from '../core/database/sql-params';
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
