import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ASSET_PAGE_SCHEMA } from '../asset/asset-response-schemas';
import { AdapterListQueryDto, AssetListQueryDto } from '../asset/dto/asset-list-query.dto';
import { AssetPageDto } from '../asset/dto/asset.dto';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { OkResponseSchema } from '../core/listing/response-schema';
import { ContainerContentsDto } from './dto/container-contents.dto';
import { CONTAINER_CONTENTS_SCHEMA } from './dto/container-response-schemas';
import { PackageContainerService } from './package-container.service';

@ApiTags('Package container')
@Controller('packages/:id/container')
export class PackageContainerController {
  constructor(private readonly container: PackageContainerService) {}

  @Get('contents')
  @RequirePermission('package:read')
  @ApiOperation({
    operationId: 'getContainerContents',
    summary: 'Counts by type and status, last modified assets, readiness',
  })
  @ApiOkResponse({ type: ContainerContentsDto })
  @OkResponseSchema(CONTAINER_CONTENTS_SCHEMA)
  @ApiProblems(400, 404)
  contents(@UuidParam('id') id: string): Promise<ContainerContentsDto> {
    return this.container.contents(id);
  }

  @Get('schemas')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'listContainerSchemas', summary: "The package's schema library" })
  @ApiOkResponse({ type: AssetPageDto })
  @OkResponseSchema(ASSET_PAGE_SCHEMA)
  @ApiProblems(400, 404)
  schemas(@UuidParam('id') id: string, @Query() query: AssetListQueryDto): Promise<AssetPageDto> {
    return this.container.library(id, 'SCHEMA', query);
  }

  @Get('adapters')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'listContainerAdapters', summary: "The package's adapter library" })
  @ApiOkResponse({ type: AssetPageDto })
  @OkResponseSchema(ASSET_PAGE_SCHEMA)
  @ApiProblems(400, 404)
  adapters(
    @UuidParam('id') id: string,
    @Query() query: AdapterListQueryDto,
  ): Promise<AssetPageDto> {
    return this.container.adapters(id, query);
  }

  @Get('mappings')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listContainerMappings',
    summary: "The package's mapping templates",
  })
  @ApiOkResponse({ type: AssetPageDto })
  @OkResponseSchema(ASSET_PAGE_SCHEMA)
  @ApiProblems(400, 404)
  mappings(@UuidParam('id') id: string, @Query() query: AssetListQueryDto): Promise<AssetPageDto> {
    return this.container.library(id, 'MAPPING', query);
  }

  @Get('flows')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'listContainerFlows', summary: "The package's flows" })
  @ApiOkResponse({ type: AssetPageDto })
  @OkResponseSchema(ASSET_PAGE_SCHEMA)
  @ApiProblems(400, 404)
  flows(@UuidParam('id') id: string, @Query() query: AssetListQueryDto): Promise<AssetPageDto> {
    return this.container.library(id, 'FLOW', query);
  }
}
