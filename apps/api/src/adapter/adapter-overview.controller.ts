import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { AdapterOverviewService } from './adapter-overview.service';
import { AdapterOverviewDto, AdapterOverviewQueryDto } from './dto/adapter-overview.dto';

/** The console's adapter list: name, status, type, direction and last tests, a page at a time. */
@ApiTags('Adapters')
@Controller('packages/:id/adapters/overview')
export class AdapterOverviewController {
  constructor(private readonly service: AdapterOverviewService) {}

  @Get()
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getAdapterOverview',
    summary:
      'Adapters by name with their type, direction and last connection test per environment (paged by `cursor`)',
  })
  @ApiOkResponse({ type: AdapterOverviewDto })
  @ApiProblems(400, 404)
  overview(
    @UuidParam('id') packageId: string,
    @Query() query: AdapterOverviewQueryDto,
  ): Promise<AdapterOverviewDto> {
    return this.service.overview(packageId, query);
  }
}
