import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { AdapterOverviewService } from './adapter-overview.service';
import { AdapterOverviewDto } from './dto/adapter-overview.dto';

/** The console's adapter list: type, direction and last tests of every adapter, at once. */
@ApiTags('Adapters')
@Controller('packages/:id/adapters/overview')
export class AdapterOverviewController {
  constructor(private readonly service: AdapterOverviewService) {}

  @Get()
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getAdapterOverview',
    summary: "Every adapter's type, direction and last connection test per environment",
  })
  @ApiOkResponse({ type: AdapterOverviewDto })
  @ApiProblems(400, 404)
  overview(@UuidParam('id') packageId: string): Promise<AdapterOverviewDto> {
    return this.service.overview(packageId);
  }
}
