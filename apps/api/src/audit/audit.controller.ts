import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { CurrentPrincipal, type Principal } from '../identity/principal';
import { AuditQueryService } from './audit-query.service';
import { AuditPageDto, AuditQueryDto, MyAuditQueryDto } from './dto/audit.dto';

@ApiTags('Audit')
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('audit')
  @RequirePermission('audit:read')
  @ApiOperation({
    operationId: 'listAudit',
    summary: 'The audit log, newest first (administrators)',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400)
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }

  @Get('audit/me')
  @RequirePermission('account:self')
  @ApiOperation({
    operationId: 'listMyAudit',
    summary: 'Audit entries about you, newest first',
    description:
      'Changes to your account and to your package memberships: who added you to which package, in which role, and when (action MEMBER_ADDED), role changes and removals.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400)
  listMine(
    @Query() query: MyAuditQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditPageDto> {
    return this.audit.list(query, undefined, principal.userId);
  }

  @Get('packages/:id/audit')
  @RequirePermission('package:audit', { allowDeletedPackage: true })
  @ApiOperation({
    operationId: 'listPackageAudit',
    summary: "The package's audit log, newest first (package administrators)",
  })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400, 404)
  listForPackage(
    @UuidParam('id') packageId: string,
    @Query() query: AuditQueryDto,
  ): Promise<AuditPageDto> {
    return this.audit.list(query, packageId);
  }
}
