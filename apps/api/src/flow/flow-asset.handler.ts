import { Injectable, type OnModuleInit } from '@nestjs/common';

import { AssetTypeRegistry, BasicAssetTypeHandler } from '../asset/asset-type-handler';
import { PackageFlow } from './entities/package-flow.entity';

/**
 * The flow asset type, minimal until the flow issue gives its content a shape: the detail
 * table and the generic view (content validation, derived columns, edges and secrets come then).
 */
@Injectable()
export class FlowAssetHandler extends BasicAssetTypeHandler implements OnModuleInit {
  constructor(private readonly registry: AssetTypeRegistry) {
    super('FLOW', PackageFlow);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }
}
