import { type AssetType } from '@integrixs/domain';

import { PackageAdapter } from '../adapter/entities/package-adapter.entity';
import { PackageFlow } from '../flow/entities/package-flow.entity';
import { PackageMapping } from '../mapping/entities/package-mapping.entity';
import { PackageSchema } from '../schema/entities/package-schema.entity';

/** The detail table (class-table inheritance) holding each asset type's own columns. */
export const ASSET_DETAIL_ENTITIES = {
  SCHEMA: PackageSchema,
  ADAPTER: PackageAdapter,
  MAPPING: PackageMapping,
  FLOW: PackageFlow,
} as const satisfies Record<AssetType, unknown>;
