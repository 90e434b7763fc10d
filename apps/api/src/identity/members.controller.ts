import { Body, Controller, Delete, Get, HttpCode, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { MemberListDto, PutMemberDto } from './dto/member.dto';
import { MembersService } from './members.service';

@ApiTags('Package members')
@Controller('packages/:id/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequirePermission('package:read')
  @ApiOperation({ operationId: 'listMembers', summary: "The package's members and their roles" })
  @ApiOkResponse({ type: MemberListDto })
  @ApiProblems(400, 404)
  async list(@UuidParam('id') packageId: string): Promise<MemberListDto> {
    return { items: await this.members.list(packageId) };
  }

  @Put(':userId')
  @RequirePermission('package:members')
  @ApiOperation({ operationId: 'putMember', summary: 'Add a member or change their role' })
  @ApiOkResponse({ type: MemberListDto })
  @ApiProblems(400, 404, 409)
  async put(
    @UuidParam('id') packageId: string,
    @UuidParam('userId') userId: string,
    @Body() dto: PutMemberDto,
  ): Promise<MemberListDto> {
    return { items: await this.members.put(packageId, userId, dto.role) };
  }

  @Delete(':userId')
  @RequirePermission('package:members')
  @HttpCode(204)
  @ApiOperation({ operationId: 'removeMember', summary: 'Remove a member' })
  @ApiNoContentResponse({ description: 'Removed.' })
  @ApiProblems(400, 404, 409)
  async remove(
    @UuidParam('id') packageId: string,
    @UuidParam('userId') userId: string,
  ): Promise<void> {
    await this.members.remove(packageId, userId);
  }
}
