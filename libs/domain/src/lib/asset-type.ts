/** The four kinds of asset a package holds (class-table inheritance in `package_assets`). */
export const ASSET_TYPES = ['SCHEMA', 'ADAPTER', 'MAPPING', 'FLOW'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** URL segment used by the asset endpoints: `/api/packages/{id}/{segment}/{assetId}`. */
export const ASSET_PATH_SEGMENTS: Record<AssetType, string> = {
  SCHEMA: 'schemas',
  ADAPTER: 'adapters',
  MAPPING: 'mappings',
  FLOW: 'flows',
};

export function emptyAssetCounts(): Record<AssetType, number> {
  return { SCHEMA: 0, ADAPTER: 0, MAPPING: 0, FLOW: 0 };
}
