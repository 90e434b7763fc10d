import { createRequire } from 'node:module';

import { measureAbba, measureServers, timedOnly } from '../load.mjs';
import { expect, shapeProblems } from './shape.mjs';

/**
 * The asset graph (issue 12): dependents and impact over HTTP on a generated graph of 50,000
 * assets and 200,000 edges against the bare recursive query with pg (baseline-routes/graph.mjs),
 * and the cycle check a save that adds an edge runs, as its share of that save's time.
 *
 * The graph: the first 50,000 live seeded assets (by package, id) numbered n = 0 … 49,999 in
 * clusters of 100; every asset but a cluster's first depends on 4 pseudo-random lower assets of
 * its cluster (a DAG; clusters straddle packages, so some edges cross packages), 2,000 of them
 * on a fifth: 200,000 edges. The seed's own edges are removed first.
 */
const ASSETS = 50_000;
const CLUSTER = 100;
const SUBJECTS = 200;
const KINDS = [
  'FLOW_MAPPING',
  'FLOW_ADAPTER',
  'FLOW_SCHEMA',
  'MAPPING_SOURCE_SCHEMA',
  'MAPPING_TARGET_SCHEMA',
];
/** Clusters the schema saved in the save rows imports through T (what its cycle check walks). */
const CHECKED_CLUSTERS = 4;

const GRAPH_SQL = [
  `CREATE TEMP TABLE bench_graph AS
     SELECT id, package_id, (row_number() OVER (ORDER BY package_id, id) - 1)::int AS n
       FROM package_assets WHERE deleted_at IS NULL ORDER BY package_id, id LIMIT ${ASSETS}`,
  `CREATE UNIQUE INDEX ON bench_graph (n)`,
  `DELETE FROM package_asset_dependencies WHERE created_by = 'bench'`,
  `INSERT INTO package_asset_dependencies
          (from_asset_id, to_asset_id, kind, package_id, created_by, updated_by)
   SELECT f.id, t.id, (ARRAY['${KINDS.join("','")}'])[k.k + 1], f.package_id, 'bench', 'bench'
     FROM bench_graph f
    CROSS JOIN generate_series(0, 4) AS k (k)
     JOIN bench_graph t
       ON t.n = (f.n / ${CLUSTER}) * ${CLUSTER}
              + (hashint8(f.n::bigint * 7 + k.k) & 2147483647) % NULLIF(f.n % ${CLUSTER}, 0)
    WHERE f.n % ${CLUSTER} > 0 AND (k.k < 4 OR f.n % 25 = 1)`,
  `ANALYZE package_asset_dependencies`,
];

const NODE = { id: 'string', packageId: 'string', type: 'string', name: 'string', depth: 'number' };

/** Sorted "id@depth" of a listing (what the API and the bare query must agree on). */
const reach = (items) => items.map((n) => `${n.id}@${n.depth}`).sort();

async function call(server, method, url, body, headers = {}) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...server.headers, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30000),
  });
  const text = await response.text();
  if (response.status >= 300)
    throw new Error(`${method} ${url}: ${response.status} ${text.slice(0, 400)}`);
  return JSON.parse(text);
}

const xsd = (ns, imports = '') =>
  `<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="${ns}" xmlns="${ns}" elementFormDefault="qualified">${imports}<xs:element name="Note" type="xs:string"/></xs:schema>`;

/** Verifies the API and the bare query reach the same assets at the same depths, then measures. */
async function compareAndMeasure(context, options, { servers, paths, list, shape }) {
  const [api, baseline] = await Promise.all(
    [servers.api, servers.baseline].map((s) => call(s, 'GET', paths[0])),
  );
  const problems = [
    ...shapeProblems(api, shape),
    ...expect(list(api).length > 10, `only ${list(api).length} assets reached`),
    ...expect(
      reach(list(api)).join() === reach(list(baseline)).join(),
      `the API reaches ${list(api).length} assets, the bare query ${list(baseline).length}, or at other depths`,
    ),
  ];
  if (problems.length > 0) throw new Error(`${paths[0]}: ${problems.join('; ')}`);
  context.reached.push(list(api).length);
  return measureServers(servers, paths, options);
}

export default {
  name: 'graph',
  title: 'Dependency graph',

  async prepare(query, { api, servers }) {
    for (const sql of GRAPH_SQL) await query(sql);
    const [{ edges }] = await query(
      `SELECT count(*)::int AS edges FROM package_asset_dependencies`,
    );
    // The cluster bottoms: what most of their cluster depends on.
    const subjects = await query(
      `SELECT id, package_id AS "packageId" FROM bench_graph WHERE n % ${CLUSTER} = 0 ORDER BY n LIMIT ${SUBJECTS}`,
    );
    const paths = (what) =>
      subjects.map((s) => `/api/packages/${s.packageId}/assets/${s.id}/${what}`);

    // The save rows: schema X of the first package imports schema T and drops it again; T
    // depends on the tops of a few clusters, so adding X → T walks a few hundred assets.
    const packageId = subjects[0].packageId;
    const base = `/api/packages/${packageId}/schemas`;
    const t = await call(servers.api, 'POST', base, {
      name: 'Graph bench T',
      type: 'XSD',
      document: xsd('urn:bench:graph:t'),
    });
    let x = await call(servers.api, 'POST', base, {
      name: 'Graph bench X',
      type: 'XSD',
      document: xsd('urn:bench:graph:x'),
    });
    await query(
      `INSERT INTO package_asset_dependencies (from_asset_id, to_asset_id, kind, package_id, created_by, updated_by)
       SELECT $1, id, 'FLOW_SCHEMA', $2, 'bench-graph', 'bench-graph'
         FROM bench_graph WHERE n % ${CLUSTER} = ${CLUSTER - 1} ORDER BY n LIMIT ${CHECKED_CLUSTERS}`,
      [t.id, packageId],
    );
    const save = async (imports) => {
      const document = xsd(
        'urn:bench:graph:x',
        imports ? '<xs:import namespace="urn:bench:graph:t"/>' : '',
      );
      x = await call(
        servers.api,
        'PUT',
        `${base}/${x.id}`,
        { document },
        { 'if-match': `"${x.version}"` },
      );
    };

    // The walk the save's cycle check makes, from the API build, on this bench's connection.
    const { breadthFirst } = createRequire(api.main)('./dependency/graph-walk.js');
    const m = {
      queryRunner: { query: async (sql, params) => ({ records: await query(sql, params) }) },
    };
    const walked = await breadthFirst(m, x.id, 'dependencies', 64, [t.id]);
    return {
      query,
      servers,
      paths,
      save,
      m,
      breadthFirst,
      x: () => x,
      t,
      edges,
      checked: walked.reached.size,
      reached: [],
      shares: [],
    };
  },

  scenarios: [
    {
      id: 'dependents',
      title: 'Transitive dependents',
      request: `GET /api/packages/{id}/assets/{assetId}/dependents (${SUBJECTS} cluster bottoms in turn) vs the bare recursive query`,
      measure: (context, options) =>
        compareAndMeasure(context, options, {
          servers: context.servers,
          paths: context.paths('dependents'),
          list: (body) => body.items,
          shape: {
            assetId: 'string',
            items: [{ ...NODE, path: ['string'], crossPackage: 'boolean' }],
            hidden: 'number',
          },
        }),
      targets: { minThroughputRatio: 0.7 },
    },
    {
      id: 'impact',
      title: 'Impact analysis',
      request: `GET /api/packages/{id}/assets/{assetId}/impact (${SUBJECTS} cluster bottoms in turn) vs the bare recursive query (10 hops)`,
      measure: (context, options) =>
        compareAndMeasure(context, options, {
          servers: context.servers,
          paths: context.paths('impact'),
          list: (body) => body.affected,
          shape: { assetId: 'string', affected: [NODE], byType: 'object', hidden: 'number' },
        }),
      targets: { minThroughputRatio: 0.7 },
    },
    {
      id: 'cycle-check-share',
      title: 'Cycle check on save (share of the save ≤ 20%)',
      request:
        'PUT /api/packages/{id}/schemas/{schemaId} adding an import (one new edge), vs the cycle check that save runs (advisory lock + breadth-first walk), sequentially',
      labels: ['cycle check', 'whole save'],
      async measure(context, options) {
        const { query, m, t, save, breadthFirst } = context;
        // Only the check's own statements are timed (the save has its transaction anyway).
        const check = async () => {
          await query('BEGIN');
          const started = performance.now();
          await query(`SELECT pg_advisory_xact_lock(hashtextextended('asset-graph', 0))`);
          const walked = await breadthFirst(m, context.x().id, 'dependencies', 64, [t.id]);
          const took = performance.now() - started;
          await query('COMMIT');
          if (walked.closedBy !== undefined) throw new Error('the bench graph has a cycle');
          return took;
        };
        // Each timed save adds the edge X → T; the save dropping it again is not timed.
        const addingSave = async () => {
          const started = performance.now();
          await save(true);
          const took = performance.now() - started;
          await save(false);
          return took;
        };
        const stats = await measureAbba(
          { api: (s) => timedOnly(check, s), baseline: (s) => timedOnly(addingSave, s) },
          options,
        );
        context.shares.push(stats.baseline.rps / stats.api.rps);
        return stats;
      },
      // checks/s ≥ 5 × saves/s  ⇔  the check takes ≤ 20% of the save's time.
      targets: { minThroughputRatio: 5 },
    },
  ],

  dataset: ({ edges, checked }) =>
    `Graph group: the first ${ASSETS.toLocaleString('en-US')} live assets in clusters of ${CLUSTER}, ` +
    `each depending on 4 lower assets of its cluster (2,000 on a fifth; a DAG, some edges across packages): ` +
    `${edges.toLocaleString('en-US')} edges in the table. The save rows' cycle check walks ${checked} assets.`,

  method: ({ duration, warmup, connections }) =>
    `Graph rows: autocannon, ${connections} connections, ${warmup} s warm-up, ${duration} s per side in ` +
    `ABBA halves; the API (walk with paths, visibility rule, subject check) against the bare recursive ` +
    `CTE with pg in the raw Fastify baseline (ids and depths verified equal first). Cycle-check row: ` +
    `sequential, in the bench process: whole saves over HTTP (only the save adding the edge timed) vs the ` +
    `check alone (advisory lock + the API build's breadthFirst on one pg connection).`,

  notes: ({ shares, reached }) => [
    ...(reached.length
      ? [`Dependents / impact of the first subject reach ${reached.join(' / ')} assets.`]
      : []),
    ...shares.map(
      (s) => `Cycle check = ${(s * 100).toFixed(1)}% of the save's time (target ≤ 20%).`,
    ),
  ],
};
