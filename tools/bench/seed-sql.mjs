import {
  ADAPTER_KINDS,
  ENTITIES,
  FLOW_TRIGGERS,
  FLOW_VERBS,
  FORMATS,
  PACKAGE_NOUNS,
  PROCESSES,
  SCHEMA_KINDS,
  SYSTEMS,
  TEAMS,
} from './seed-words.mjs';

/*
 * Set-based seeding: two temporary tables describe every package and asset (all values computed
 * in SQL from generate_series and a deterministic hash), then one INSERT ... SELECT per target
 * table. Asset positions in a package of 20: 0-5 schemas, 6-9 adapters, 10-14 mappings, 15-19 flows.
 */

const literal = (s) => `'${s.replaceAll("'", "''")}'`;
const array = (list) => `ARRAY[${list.map(literal).join(', ')}]`;
/** A deterministic pseudo-random non-negative int for (seed, salt). */
const rnd = (seed, salt) => `(hashint8((${seed})::bigint * 31 + ${salt}) & 2147483647)`;
const index = (list, seed, salt) => `(${rnd(seed, salt)} % ${list.length} + 1)`;
const pick = (list, seed, salt) => `(${array(list)})[${index(list, seed, salt)}]`;
const column = (tuples, i) => array(tuples.map((t) => t[i]));
const distinctArray = (items) =>
  `ARRAY(SELECT DISTINCT t FROM unnest(ARRAY[${items}]) t ORDER BY t)`;

/** One INSERT ... SELECT per table, from the bench_assets rows. */
export const ASSET_STEPS = [
  {
    label: 'asset registry',
    table: 'package_assets',
    sql: `
    INSERT INTO package_assets (id, package_id, type, name, description, tags, status,
                                current_version, version, created_at, updated_at, created_by,
                                updated_by, deleted_at)
    SELECT id, package_id, type, name, description, tags, status, 1, version, created_at,
           updated_at, 'bench', 'bench', deleted_at
      FROM bench_assets`,
  },
  // The search term index is kept by row triggers, which session_replication_role = replica
  // switches off: fill it the way the migration does (replacing what triggers wrote, if any).
  {
    label: 'search terms',
    table: 'asset_search_terms',
    sql: `
    DELETE FROM asset_search_terms;
    INSERT INTO asset_search_terms (term, asset_id, package_id)
    SELECT l.lexeme, a.id, a.package_id
      FROM package_assets a CROSS JOIN LATERAL unnest(a.search) l
     WHERE a.deleted_at IS NULL`,
  },
  {
    label: 'schemas',
    table: 'package_schemas',
    sql: `
    INSERT INTO package_schemas (asset_id, schema_type, target_namespace)
    SELECT id, schema_type, CASE WHEN schema_type <> 'JSON_SCHEMA'
                                 THEN 'urn:integrixs:bench:' || entity END
      FROM bench_assets WHERE type = 'SCHEMA'`,
  },
  {
    label: 'adapters',
    table: 'package_adapters',
    sql: `
    INSERT INTO package_adapters (asset_id, adapter_type, direction)
    SELECT id,
           -- The names keep the words of the older model (SMTP mail, inbound) so runs stay
           -- comparable; the columns take the current values (one EMAIL type, SOURCE|TARGET).
           CASE WHEN adapter_type LIKE 'EMAIL_%' THEN 'EMAIL' ELSE adapter_type END,
           CASE direction WHEN 'INBOUND' THEN 'SOURCE' ELSE 'TARGET' END
      FROM bench_assets WHERE type = 'ADAPTER'`,
  },
  {
    label: 'mappings',
    table: 'package_mappings',
    sql: `
    INSERT INTO package_mappings (asset_id) SELECT id FROM bench_assets WHERE type = 'MAPPING'`,
  },
  // A mapping's source and target schemas are dependency edges, as the API writes them.
  {
    label: 'mapping schemas',
    table: 'package_asset_dependencies',
    sql: `
    INSERT INTO package_asset_dependencies
           (from_asset_id, to_asset_id, kind, package_id, created_by, updated_by)
    SELECT m.id, s.id, edge.kind, m.package_id, 'bench', 'bench'
      FROM bench_assets m
     CROSS JOIN LATERAL (VALUES ('MAPPING_SOURCE_SCHEMA', m.source_i),
                                ('MAPPING_TARGET_SCHEMA', m.target_i)) AS edge (kind, i)
      JOIN bench_assets s ON s.n = m.n AND s.i = edge.i AND s.type = 'SCHEMA'
     WHERE m.type = 'MAPPING'`,
  },
  {
    label: 'flows',
    table: 'package_flows',
    sql: `
    INSERT INTO package_flows (asset_id) SELECT id FROM bench_assets WHERE type = 'FLOW'`,
  },
  // content_text is canonical JSON (sorted keys, no spaces): its sha256 is what the API computes.
  {
    label: 'versions',
    table: 'asset_versions',
    sql: `
    INSERT INTO asset_versions (asset_id, version_number, content, content_hash, message,
                                created_at, created_by)
    SELECT id, 1, content_text::jsonb, encode(sha256(convert_to(content_text, 'UTF8')), 'hex'),
           'Seeded by npm run bench', created_at, 'bench'
      FROM bench_assets`,
  },
];

export function packagesSql(packages) {
  return `
    CREATE TEMP TABLE bench_packages AS
    SELECT n, gen_random_uuid() AS id,
           ${pick(ENTITIES, 'n', 1)} AS entity,
           ${pick(SYSTEMS, 'n', 2)} AS system_a,
           ${pick(SYSTEMS, 'n', 3)} AS system_b,
           ${pick(PROCESSES, 'n', 4)} AS process,
           ${pick(PACKAGE_NOUNS, 'n', 5)} AS noun,
           ${pick(
             ADAPTER_KINDS.map((k) => k[1]),
             'n',
             6,
           )} AS channel,
           ${pick(FORMATS, 'n', 7)} AS format,
           ${pick(TEAMS, 'n', 8)} AS team,
           now() - make_interval(days => 30 + ${rnd('n', 9)} % 700,
                                 secs => ${rnd('n', 10)} % 86400) AS created_at
      FROM generate_series(1, ${packages}) AS n;

    INSERT INTO integration_packages (id, name, description, tags, owner, version, created_at,
                                      updated_at, created_by, updated_by)
    SELECT id,
           format('%s %s %s to %s %s', initcap(entity), noun, system_a, system_b, lpad(n::text, 4, '0')),
           format('%s: %s documents between %s and %s over %s, validated against %s schemas. Owned by the %s team.',
                  process, entity, system_a, system_b, channel, format, team),
           ${distinctArray('entity, lower(system_a), lower(system_b), lower(format)')},
           'team-' || team, 1 + ${rnd('n', 11)} % 3, created_at,
           least(now(), created_at + make_interval(days => ${rnd('n', 12)} % 60)), 'bench', 'bench'
      FROM bench_packages`;
}

export function assetsSql(assetsPerPackage) {
  const g = 'p.n::bigint * 1000003 + i';
  return `
    CREATE TEMP TABLE bench_assets AS
    WITH base AS (
      SELECT p.n, i, p.id AS package_id, p.created_at AS package_created_at,
             gen_random_uuid() AS id, ${rnd(g, 20)} AS r,
             CASE WHEN i % 20 < 6 THEN 'SCHEMA' WHEN i % 20 < 10 THEN 'ADAPTER'
                  WHEN i % 20 < 15 THEN 'MAPPING' ELSE 'FLOW' END AS type,
             ${pick(ENTITIES, g, 21)} AS entity,
             ${pick(ENTITIES, g, 22)} AS entity_b,
             ${pick(SYSTEMS, g, 23)} AS system_a,
             ${pick(SYSTEMS, g, 24)} AS system_b,
             ${pick(FORMATS, g, 25)} AS format_a,
             ${pick(FORMATS, g, 26)} AS format_b,
             ${pick(FLOW_VERBS, g, 27)} AS verb,
             ${pick(FLOW_TRIGGERS, g, 28)} AS trigger,
             ${index(ADAPTER_KINDS, g, 29)} AS ak,
             ${index(SCHEMA_KINDS, g, 30)} AS sk,
             CASE WHEN ${rnd(g, 31)} % 2 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END AS direction,
             i - i % 20 + ${rnd(g, 32)} % 6 AS source_i,
             i - i % 20 + (${rnd(g, 32)} % 6 + 1 + ${rnd(g, 33)} % 5) % 6 AS target_i,
             1 + ${rnd(g, 34)} % 4 AS version,
             ${rnd(g, 35)} % 50 = 0 AS deleted,
             make_interval(days => ${rnd(g, 36)} % 20, secs => ${rnd(g, 37)} % 86400) AS age,
             make_interval(days => ${rnd(g, 38)} % 30, secs => ${rnd(g, 39)} % 86400) AS edited
        FROM bench_packages p CROSS JOIN generate_series(0, ${assetsPerPackage - 1}) AS i
    ), typed AS (
      SELECT base.*,
             (ARRAY['DRAFT', 'DRAFT', 'DRAFT', 'DRAFT', 'READY', 'READY', 'READY', 'READY',
                    'READY', 'ARCHIVED'])[r % 10 + 1] AS status,
             (${column(ADAPTER_KINDS, 0)})[ak] AS adapter_type,
             (${column(ADAPTER_KINDS, 1)})[ak] AS channel,
             (${column(SCHEMA_KINDS, 0)})[sk] AS schema_type,
             (${column(SCHEMA_KINDS, 1)})[sk] AS extension,
             (${column(SCHEMA_KINDS, 2)})[sk] AS media_type,
             (${column(SCHEMA_KINDS, 3)})[sk] AS schema_word,
             package_created_at + age AS created_at,
             least(now(), package_created_at + age + edited) AS updated_at
        FROM base
    )
    SELECT n, i, id, package_id, type, status, entity, adapter_type, direction, schema_type,
           source_i, target_i, version, created_at, updated_at,
           CASE WHEN deleted THEN updated_at END AS deleted_at,
           CASE type
             WHEN 'SCHEMA' THEN format('%s %s %s %s', initcap(entity), format_a, schema_word, i)
             WHEN 'ADAPTER' THEN format('%s %s %s %s', system_a, channel, lower(direction), i)
             WHEN 'MAPPING' THEN format('%s %s to %s %s', initcap(entity), format_a, format_b, i)
             ELSE format('%s %s from %s to %s %s', initcap(entity), verb, system_a, system_b, i)
           END AS name,
           CASE type
             WHEN 'SCHEMA' THEN format('%s message structure for %s documents exchanged with %s.',
                                       format_a, entity, system_a)
             WHEN 'ADAPTER' THEN format('%s connection to %s for %s and %s messages.',
                                        channel, system_a, entity, entity_b)
             WHEN 'MAPPING' THEN format('Maps %s %s to %s, including the %s references.',
                                        format_a, entity, format_b, entity_b)
             ELSE format('Receives %s from %s over %s, enriches it with %s data and delivers it to %s.',
                         entity, system_a, channel, entity_b, system_b)
           END AS description,
           CASE type
             WHEN 'SCHEMA' THEN ${distinctArray("entity, lower(format_a), replace(lower(schema_type), '_', '-')")}
             WHEN 'ADAPTER' THEN ${distinctArray("replace(lower(channel), ' ', '-'), lower(system_a), lower(direction)")}
             WHEN 'MAPPING' THEN ${distinctArray('entity, lower(format_a), lower(format_b)')}
             ELSE ${distinctArray('entity, lower(system_a), lower(system_b), verb')}
           END AS tags,
           CASE type
             WHEN 'SCHEMA' THEN format('{"fileName":%s,"mediaType":%s,"text":%s}',
               to_json(format('%s-%s.%s', entity, i, extension)), to_json(media_type),
               to_json(CASE extension
                 WHEN 'json' THEN format('{"title":"%s","type":"object"}', initcap(entity))
                 WHEN 'wsdl' THEN format('<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:integrixs:bench:%s"/>', entity)
                 ELSE format('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:integrixs:bench:%s"><xs:element name="%s"/></xs:schema>',
                             entity, initcap(entity)) END))
             WHEN 'ADAPTER' THEN format('{"direction":%s,"kind":%s,"options":{"retries":%s,"timeoutMs":%s}}',
               to_json(direction), to_json(adapter_type), r % 5, 1000 * (1 + r % 30))
             WHEN 'MAPPING' THEN format('{"rules":[{"source":%s,"target":%s},{"source":%s,"target":%s}],"sourceFormat":%s,"targetFormat":%s}',
               to_json(format('/%s/ID', initcap(entity))), to_json(format('/%s/id', entity)),
               to_json(format('/%s/%sRef', initcap(entity), initcap(entity_b))),
               to_json(format('/%s/%sId', entity, entity_b)), to_json(format_a), to_json(format_b))
             ELSE format('{"steps":[{"type":"receive"},{"type":"map"},{"type":"send"}],"trigger":%s}',
               to_json(trigger))
           END AS content_text
      FROM typed`;
}
