import { type EntityManager } from 'typeorm';

import {
  AssetTypeRegistry,
  type AssetDeleteContext,
  type PreparedContent,
} from '../asset/asset-type-handler';
import { type AssetDetailDto } from '../asset/dto/asset.dto';
import { AssetVersion } from '../asset/entities/asset-version.entity';
import { type PackageAsset } from '../asset/entities/package-asset.entity';
import { DependencyAwareAssetHandler } from './dependency-aware-asset.handler';
import { type DependencyService } from './dependency.service';

/** The smallest dependency-aware type: content as given, the generic view. */
class PlainHandler extends DependencyAwareAssetHandler {
  readonly type = 'FLOW' as const;
  readonly detailEntity = AssetVersion;
  readonly secretFields: readonly string[] = [];

  constructor(registry: AssetTypeRegistry, graph: DependencyService) {
    super(registry, graph);
  }

  prepareCreate(): Promise<PreparedContent> {
    return Promise.resolve({ content: {} });
  }
  prepareUpdate(): Promise<PreparedContent | undefined> {
    return Promise.resolve(undefined);
  }
  onSave(m: EntityManager, saved: { detail: AssetDetailDto }): Promise<AssetDetailDto> {
    return this.view(m, saved.detail);
  }
  view(_m: EntityManager, detail: AssetDetailDto): Promise<AssetDetailDto> {
    return Promise.resolve(detail);
  }
}

describe('DependencyAwareAssetHandler', () => {
  it('registers the handler and asks the graph before every delete, passing the whole context', async () => {
    const asked: unknown[][] = [];
    const graph = {
      assertDeletable: (...args: unknown[]) => {
        asked.push(args);
        return Promise.resolve();
      },
    } as unknown as DependencyService;
    const registry = new AssetTypeRegistry();
    const handler = new PlainHandler(registry, graph);
    handler.onModuleInit();
    expect(registry.get('FLOW')).toBe(handler);

    const m = {} as EntityManager;
    const asset = { id: 'a1', packageId: 'p1' } as PackageAsset;
    const ctx = { withPackage: true, force: false } as AssetDeleteContext;
    await handler.beforeDelete(m, asset, ctx);
    expect(asked).toEqual([[m, asset, ctx]]);
    await expect(handler.onRestore(m, asset)).resolves.toBeUndefined();
  });

  it('passes the graph’s refusal on', async () => {
    const refusal = new Error('dependents');
    const graph = {
      assertDeletable: () => Promise.reject(refusal),
    } as unknown as DependencyService;
    const handler = new PlainHandler(new AssetTypeRegistry(), graph);
    await expect(
      handler.beforeDelete({} as EntityManager, {} as PackageAsset, {} as AssetDeleteContext),
    ).rejects.toBe(refusal);
  });
});
