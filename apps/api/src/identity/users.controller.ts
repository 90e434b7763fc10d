import { Body, Controller, Get, Headers, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { expectedVersion, IF_MATCH_HEADER } from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import {
  CreateUserDto,
  SetPasswordDto,
  UpdateUserDto,
  UserDto,
  UserListQueryDto,
  UserPageDto,
} from './dto/user.dto';
import { CurrentPrincipal, type Principal } from './principal';
import { UsersService } from './users.service';

/** User administration. Changes need an administrator with a recent MFA confirmation. */
@ApiTags('Users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission('user:read')
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List users (q matches username, display name, email)',
  })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400)
  list(@Query() query: UserListQueryDto): Promise<UserPageDto> {
    return this.users.list(query);
  }

  @Post()
  @RequirePermission('user:manage')
  @ApiOperation({ operationId: 'createUser', summary: 'Create a user' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiProblems(400, 409)
  create(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(dto);
  }

  @Get(':userId')
  @RequirePermission('user:read')
  @ApiOperation({ operationId: 'getUser', summary: 'Get a user' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404)
  get(@UuidParam('userId') id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Put(':userId')
  @RequirePermission('user:manage')
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Change a user: display name, email, role, disabled',
  })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404, 409, 412, 428)
  update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('userId') id: string,
    @Body() dto: UpdateUserDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<UserDto> {
    return this.users.update(principal, id, dto, expectedVersion(dto.version, ifMatch));
  }

  @Post(':userId/mfa/reset')
  @RequirePermission('user:manage')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resetUserMfa',
    summary:
      "Reset a user's MFA (lost device): ends their sessions and API tokens; they enrol again",
  })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 404, 409)
  resetMfa(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('userId') id: string,
  ): Promise<UserDto> {
    return this.users.resetMfa(principal, id);
  }

  @Post(':userId/password')
  @RequirePermission('user:manage')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'setUserPassword',
    summary: "Set a user's password (ends their sessions)",
  })
  @ApiNoContentResponse({ description: 'Password set.' })
  @ApiProblems(400, 404)
  async setPassword(@UuidParam('userId') id: string, @Body() dto: SetPasswordDto): Promise<void> {
    await this.users.setPassword(id, dto.password);
  }
}
