import { AdapterAssetHandler } from '../src/adapter/adapter-asset.handler';
import { DependencyAwareAssetHandler } from '../src/dependency/dependency-aware-asset.handler';
import { SchemaAssetHandler } from '../src/schema/schema-asset.handler';

/**
 * The delete rule of the asset graph lives once, in DependencyAwareAssetHandler: the types whose
 * assets others depend on extend it instead of each carrying a copy (issue 9 follow-up).
 */
describe('asset type handlers that others depend on', () => {
  it.each([
    ['SchemaAssetHandler', SchemaAssetHandler],
    ['AdapterAssetHandler', AdapterAssetHandler],
  ])(
    '%s takes its delete, restore and registration from DependencyAwareAssetHandler',
    (_, type) => {
      expect(type.prototype).toBeInstanceOf(DependencyAwareAssetHandler);
      for (const hook of ['beforeDelete', 'onRestore', 'onModuleInit']) {
        expect(Object.prototype.hasOwnProperty.call(type.prototype, hook)).toBe(false);
      }
    },
  );
});
