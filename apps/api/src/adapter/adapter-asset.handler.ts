import { Injectable, type OnModuleInit } from '@nestjs/common';

import { AssetTypeRegistry, BasicAssetTypeHandler } from '../asset/asset-type-handler';
import { PackageAdapter } from './entities/package-adapter.entity';

/**
 * The adapter asset type, minimal until the adapter issue gives its content a shape: the detail
 * table and the generic view (content validation, derived columns, edges and secrets come then).
 */
@Injectable()
export class AdapterAssetHandler extends BasicAssetTypeHandler implements OnModuleInit {
  constructor(private readonly registry: AssetTypeRegistry) {
    super('ADAPTER', PackageAdapter);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }
}
