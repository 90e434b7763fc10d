import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { OkResponseSchema } from '../core/listing/response-schema';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { AssetQueryService } from './asset-query.service';
import { ASSET_SEARCH_PAGE_SCHEMA } from './asset-response-schemas';
import { AssetSearchQueryDto } from './dto/asset-list-query.dto';
import { AssetSearchPageDto } from './dto/asset.dto';

@ApiTags('Assets')
@Controller('assets')
export class AssetsController {
  constructor(private readonly queries: AssetQueryService) {}

  @Get()
  @RequirePermission('asset:search')
  @ApiOperation({ operationId: 'searchAssets', summary: 'Search assets across all packages' })
  @ApiOkResponse({ type: AssetSearchPageDto })
  @OkResponseSchema(ASSET_SEARCH_PAGE_SCHEMA)
  @ApiProblems(400)
  search(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AssetSearchQueryDto,
  ): Promise<AssetSearchPageDto> {
    return this.queries.search(query, visibilityOf(principal));
  }
}
