import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import {
  ADAPTER_TYPES,
  ASSET_STATUSES,
  ASSET_TYPES,
  type AdapterType,
  type AssetStatus,
  type AssetType,
} from '@integrixs/domain';

import { ListQueryDto } from '../../core/listing/list-query.dto';

/** Filters for the asset lists of one package (`/container/...`). */
export class AssetListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ASSET_STATUSES })
  @IsOptional()
  @IsIn(ASSET_STATUSES)
  status?: AssetStatus;
}

/** Filters for a package's adapter list (`/container/adapters`). */
export class AdapterListQueryDto extends AssetListQueryDto {
  @ApiPropertyOptional({ enum: ADAPTER_TYPES, description: 'Only adapters of this type.' })
  @IsOptional()
  @IsIn(ADAPTER_TYPES)
  adapterType?: AdapterType;
}

/** Filters for `GET /api/assets`, searching every package. */
export class AssetSearchQueryDto extends AssetListQueryDto {
  @ApiPropertyOptional({ enum: ASSET_TYPES })
  @IsOptional()
  @IsIn(ASSET_TYPES)
  type?: AssetType;
}
