import { Injectable, type OnModuleInit } from '@nestjs/common';

import { AssetTypeRegistry, BasicAssetTypeHandler } from '../asset/asset-type-handler';
import { PackageMapping } from './entities/package-mapping.entity';

/**
 * The mapping asset type, minimal until the mapping issue gives its content a shape: the detail
 * table and the generic view (content validation, derived columns, edges and secrets come then).
 */
@Injectable()
export class MappingAssetHandler extends BasicAssetTypeHandler implements OnModuleInit {
  constructor(private readonly registry: AssetTypeRegistry) {
    super('MAPPING', PackageMapping);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }
}
