import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { ASSET_STATUSES, ASSET_TYPES, type AssetStatus, type AssetType } from '@integrixs/domain';

import { ListQueryDto } from '../../core/listing/list-query.dto';

/** Filters for the asset lists of one package (`/container/...`). */
export class AssetListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ASSET_STATUSES })
  @IsOptional()
  @IsIn(ASSET_STATUSES)
  status?: AssetStatus;
}

/** Filters for `GET /api/assets`, searching every package. */
export class AssetSearchQueryDto extends AssetListQueryDto {
  @ApiPropertyOptional({ enum: ASSET_TYPES })
  @IsOptional()
  @IsIn(ASSET_TYPES)
  type?: AssetType;
}
