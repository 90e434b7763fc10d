import { randomBytes } from 'node:crypto';

import argon2 from 'argon2';

/**
 * The console scenarios' data, on top of the bench seed (1,000 packages): 10,000 more schemas in
 * one package (set-based, one INSERT … SELECT per table; the row triggers keep the counters and
 * the search index), and the users who sign in: one member of every package, one of 10.
 */
export const BIG_TAB_ASSETS = 10_000;
export const SMALL_LIBRARY = 10;
export const BIG_USER = 'console-big';
export const SMALL_USER = 'console-small';

const SCHEMAS_SQL = `
  WITH target AS (
    SELECT id FROM integration_packages WHERE deleted_at IS NULL ORDER BY name LIMIT 1
  ), made AS (
    INSERT INTO package_assets (package_id, type, name, description, tags, status, current_version,
                                created_by, updated_by)
    SELECT target.id, 'SCHEMA', format('Console bench schema %s', lpad(n::text, 5, '0')),
           'A schema of the console benchmark.', ARRAY['bench'],
           (ARRAY['DRAFT', 'READY'])[n % 2 + 1], 1, 'bench', 'bench'
      FROM target CROSS JOIN generate_series(1, ${BIG_TAB_ASSETS}) AS n
    RETURNING id, name
  ), detail AS (
    INSERT INTO package_schemas (asset_id, schema_type, target_namespace)
    SELECT id, 'XSD', 'urn:integrixs:bench:console' FROM made
  )
  INSERT INTO asset_versions (asset_id, version_number, content, content_hash, message, created_by)
  SELECT id, 1, content::jsonb, encode(sha256(convert_to(content, 'UTF8')), 'hex'),
         'Seeded by npm run bench', 'bench'
    FROM (SELECT id, format('{"fileName":%s,"mediaType":"application/xml","text":%s}',
                            to_json(name || '.xsd'),
                            to_json('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>'::text)) AS content
            FROM made) AS m`;

const USER_SQL = `
  INSERT INTO users (username, username_canonical, display_name, password_hash, role, created_by, updated_by)
  VALUES ($1, $1, $2, $3, 'DEVELOPER', 'bench', 'bench')
  RETURNING id`;

/** Members (DEVELOPER) of every package, or of the first `limit` by name. */
const membersSql = (limit) => `
  INSERT INTO package_members (package_id, user_id, role, created_by, updated_by)
  SELECT id, $1, 'DEVELOPER', 'bench', 'bench'
    FROM integration_packages WHERE deleted_at IS NULL ORDER BY name ${limit ? `LIMIT ${limit}` : ''}`;

/** A user who signs in with `password` (argon2id, as the API hashes), member of `packages`. */
async function seedUser(query, username, password, packages) {
  const hash = await argon2.hash(password, { type: argon2.argon2id });
  const [user] = await query(USER_SQL, [username, `Console bench (${username})`, hash]);
  await query(membersSql(packages), [user.id]);
}

/**
 * Seeds the console data; returns the users (with `password`) and the packages the pages open:
 * the one with the big Schemas tab and another (a seeded package's few schemas, one page).
 */
export async function seedConsoleData(query) {
  const password = randomBytes(12).toString('base64url');
  await query(SCHEMAS_SQL);
  await seedUser(query, BIG_USER, password, null);
  await seedUser(query, SMALL_USER, password, SMALL_LIBRARY);
  await query('ANALYZE');
  // The first two packages by name: the big one, and one the small user is a member of too.
  const [big, small] = await query(
    `SELECT p.id, count(a.id)::int AS schemas FROM integration_packages p
       JOIN package_assets a ON a.package_id = p.id AND a.type = 'SCHEMA' AND a.deleted_at IS NULL
      WHERE p.deleted_at IS NULL GROUP BY p.id, p.name ORDER BY p.name LIMIT 2`,
  );
  const [{ packages }] = await query(
    `SELECT count(*)::int AS packages FROM integration_packages WHERE deleted_at IS NULL`,
  );
  return { password, big, small, packages };
}
