import { type ApiResult } from '../../api/api-result';
import { KIND_LABELS, type PaletteDrop } from './designer-state';
import { type AssetChoice } from './node-settings';

/** What the palette offers: step kinds, and the assets that become steps when dropped. */
export interface PaletteItem {
  readonly key: string;
  readonly drop: PaletteDrop;
  readonly title: string;
  readonly detail: string;
}

/** The step kinds the palette offers (in flow order). */
export const STEP_ITEMS: readonly PaletteItem[] = (
  ['source', 'validate', 'map', 'route', 'target', 'errorHandler'] as const
).map((kind) => ({
  key: `kind:${kind}`,
  drop: { kind },
  title: KIND_LABELS[kind],
  detail: 'Step',
}));

/** The palette's asset items: what each asset becomes when dropped. */
export function paletteItems(assets: readonly AssetChoice[]): PaletteItem[] {
  return assets.flatMap((asset): PaletteItem[] => {
    const where = asset.packageName ? ` · ${asset.packageName}` : '';
    switch (asset.role) {
      case 'mapping':
        return [
          {
            key: asset.id,
            drop: { kind: 'map', assetId: asset.id },
            title: asset.name,
            detail: `Mapping → map step${where}`,
          },
        ];
      case 'schema':
        return [
          {
            key: asset.id,
            drop: { kind: 'validate', assetId: asset.id },
            title: asset.name,
            detail: `Schema → validate step${where}`,
          },
        ];
      case 'adapter': {
        const items: PaletteItem[] = [];
        if (asset.direction !== 'TARGET')
          items.push({
            key: `${asset.id}:source`,
            drop: { kind: 'source', assetId: asset.id },
            title: asset.name,
            detail: `${asset.direction} adapter → source step`,
          });
        if (asset.direction !== 'SOURCE')
          items.push({
            key: `${asset.id}:target`,
            drop: { kind: 'target', assetId: asset.id },
            title: asset.name,
            detail: `${asset.direction} adapter → target step`,
          });
        return items;
      }
    }
  });
}

type Listed<T> = ApiResult<{ readonly items: readonly T[] }>;

/**
 * The assets the palette offers: the package's adapters (with their direction), mappings and
 * schemas, then readable schemas of other packages (named with their package). A list that could
 * not be loaded offers nothing.
 */
export function assetChoicesOf(
  packageId: string,
  lists: {
    adapters: Listed<{ adapterId: string; name: string; direction: string }>;
    mappings: Listed<{ id: string; name: string }>;
    schemas: Listed<{ id: string; name: string }>;
    readable: Listed<{ id: string; name: string; packageId: string; packageName: string }>;
  },
): AssetChoice[] {
  const { adapters, mappings, schemas, readable } = lists;
  const id = packageId;
  const own: AssetChoice[] = [
    ...(adapters.ok ? adapters.data.items : []).map((a) => ({
      id: a.adapterId,
      name: a.name,
      role: 'adapter' as const,
      direction: a.direction,
    })),
    ...(mappings.ok ? mappings.data.items : []).map((m) => ({
      id: m.id,
      name: m.name,
      role: 'mapping' as const,
    })),
    ...(schemas.ok ? schemas.data.items : []).map((s) => ({
      id: s.id,
      name: s.name,
      role: 'schema' as const,
    })),
  ];
  // Schemas of other packages the caller can read (one cheap search).
  const others: AssetChoice[] = (readable.ok ? readable.data.items : [])
    .filter((s) => s.packageId !== id)
    .map((s) => ({ id: s.id, name: s.name, role: 'schema', packageName: s.packageName }));
  return [...own, ...others];
}
