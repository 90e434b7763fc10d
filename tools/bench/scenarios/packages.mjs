import { expect, shapeProblems } from './shape.mjs';

/** Words the asset search rotates over: frequent entities, rarer protocols, a prefix. */
const SEARCH_WORDS = [
  'invoice',
  'order',
  'shipment',
  'customer',
  'payment',
  'sftp',
  'soap',
  'refu',
];
const CONTAINER_PACKAGES = 200;

const COUNTS = { SCHEMA: 'number', ADAPTER: 'number', MAPPING: 'number', FLOW: 'number' };
const ASSET = {
  id: 'string',
  packageId: 'string',
  type: 'string',
  name: 'string',
  description: 'string',
  tags: ['string'],
  status: 'string',
  currentVersion: 'number',
  version: 'number',
  createdAt: 'string',
  updatedAt: 'string',
  createdBy: 'string',
  updatedBy: 'string',
};
const PACKAGE = {
  id: 'string',
  name: 'string',
  description: 'string',
  tags: ['string'],
  owner: 'string|null',
  version: 'number',
  assetCounts: COUNTS,
  totalAssets: 'number',
  createdAt: 'string',
  updatedAt: 'string',
  createdBy: 'string',
  updatedBy: 'string',
  deletedAt: 'string|null',
};

/** Deterministic shuffle, so every run requests the same packages in the same order. */
function shuffled(items) {
  const result = [...items];
  let seed = 42;
  for (let i = result.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

/** The package library's read paths: what the console's home and package pages load. */
export default {
  name: 'packages',
  title: 'Package library',

  async prepare(query) {
    const rows = await query(
      `SELECT id FROM integration_packages WHERE deleted_at IS NULL ORDER BY id LIMIT $1`,
      [CONTAINER_PACKAGES],
    );
    return { packageIds: shuffled(rows.map((row) => row.id)) };
  },

  scenarios: [
    {
      id: 'package-list',
      title: 'List packages with counts',
      request: 'GET /api/packages?limit=50',
      paths: () => ['/api/packages?limit=50'],
      verify: (body) => [
        ...shapeProblems(body, {
          items: [PACKAGE],
          total: 'number',
          totalIsEstimate: 'boolean',
          nextCursor: 'string|null',
        }),
        ...expect(
          body.items?.length === Math.min(50, body.total),
          `expected a full page of ${Math.min(50, body.total)} items, got ${body.items?.length}`,
        ),
        ...expect(body.items?.[0]?.totalAssets > 0, 'the first package has no live assets'),
      ],
      targets: { minThroughputRatio: 0.75, maxCpuRatio: 1.5 },
    },
    {
      id: 'container-contents',
      title: 'Container contents',
      request: `GET /api/packages/{id}/container/contents (up to ${CONTAINER_PACKAGES} packages in turn)`,
      paths: ({ packageIds }) => packageIds.map((id) => `/api/packages/${id}/container/contents`),
      verify: (body) => [
        ...shapeProblems(body, {
          packageId: 'string',
          totalAssets: 'number',
          byType: COUNTS,
          byStatus: 'object',
          byTypeAndStatus: [{ type: 'string', status: 'string', count: 'number' }],
          lastModified: [ASSET],
          readiness: { status: 'string', failingItems: 'number', checkedAt: 'string|null' },
        }),
        ...expect(body.lastModified?.length === 10, 'expected 10 last modified assets'),
      ],
      targets: { minThroughputRatio: 0.75, maxCpuRatio: 1.5 },
    },
    {
      id: 'asset-search',
      title: 'Full-text asset search',
      request: `GET /api/assets?q={word}&limit=50 (q = ${SEARCH_WORDS.join(', ')})`,
      paths: () => SEARCH_WORDS.map((word) => `/api/assets?q=${encodeURIComponent(word)}&limit=50`),
      verify: (body) => [
        ...shapeProblems(body, {
          items: [{ ...ASSET, packageName: 'string' }],
          total: 'number',
          totalIsEstimate: 'boolean',
          nextCursor: 'string|null',
        }),
        ...expect(
          body.total > 0 && body.items?.length === Math.min(50, body.total),
          'expected matches, and a full page of them',
        ),
      ],
      targets: { minThroughputOf: { scenario: 'container-contents', ratio: 0.5 } },
    },
  ],
};
