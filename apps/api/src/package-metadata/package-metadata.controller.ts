import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { permissionsOf } from '@integrixs/domain';

import { CurrentEditor, type AssetEditor } from '../asset/asset-editor';
import {
  etag,
  expectedVersion,
  IF_MATCH_HEADER,
  optionalVersion,
} from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { OkResponseSchema } from '../core/listing/response-schema';
import {
  CurrentPackageAccess,
  CurrentPrincipal,
  visibilityOf,
  type PackageAccess,
  type Principal,
} from '../identity/principal';
import { CreatePackageDto } from './dto/create-package.dto';
import { DeletePackageQueryDto } from './dto/delete-package-query.dto';
import { PackageListQueryDto } from './dto/package-list-query.dto';
import { PackageDetailDto, PackageDto, PackagePageDto } from './dto/package.dto';
import { UpdatePackageDto } from './dto/update-package.dto';
import { PackageMetadataService } from './package-metadata.service';
import { PACKAGE_PAGE_SCHEMA } from './package-views';

@ApiTags('Packages')
@Controller('packages')
export class PackageMetadataController {
  constructor(private readonly packages: PackageMetadataService) {}

  @Get()
  @RequirePermission('package:list')
  @ApiOperation({
    operationId: 'listPackages',
    summary: 'List packages with their asset counts by type',
  })
  @ApiOkResponse({ type: PackagePageDto })
  @OkResponseSchema(PACKAGE_PAGE_SCHEMA)
  @ApiProblems(400)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PackageListQueryDto,
  ): Promise<PackagePageDto> {
    return this.packages.list(query, visibilityOf(principal));
  }

  @Post()
  @RequirePermission('package:create')
  @ApiOperation({ operationId: 'createPackage', summary: 'Create a package' })
  @ApiCreatedResponse({ type: PackageDto })
  @ApiProblems(400, 409, 413, 415)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreatePackageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PackageDto> {
    const pkg = await this.packages.create(dto, principal.userId, visibilityOf(principal));
    void reply.header('location', `/api/packages/${pkg.id}`).header('etag', etag(pkg.version));
    return pkg;
  }

  @Get(':id')
  @RequirePermission('package:read')
  @ApiOperation({ operationId: 'getPackage', summary: 'Get a package' })
  @ApiOkResponse({ type: PackageDetailDto })
  @ApiProblems(400, 404)
  async get(
    @UuidParam('id') id: string,
    @CurrentPackageAccess() access: PackageAccess,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PackageDetailDto> {
    const pkg = await this.packages.get(id);
    void reply.header('etag', etag(pkg.version));
    const granted = principal.token?.permissions;
    return {
      ...pkg,
      yourRole: access.role,
      yourPermissions: permissionsOf(access.role, 'package').filter(
        (p) => !granted || granted.includes(p),
      ),
    };
  }

  @Put(':id')
  @RequirePermission('package:update')
  @ApiOperation({
    operationId: 'updatePackage',
    summary: 'Update a package (fields left out keep their value)',
  })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: PackageDto })
  @ApiProblems(400, 404, 409, 412, 413, 415, 428)
  async update(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
    @Body() dto: UpdatePackageDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PackageDto> {
    const pkg = await this.packages.update(
      id,
      dto,
      expectedVersion(dto.version, ifMatch),
      visibilityOf(principal),
    );
    void reply.header('etag', etag(pkg.version));
    return pkg;
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('package:delete')
  @ApiOperation({
    operationId: 'deletePackage',
    summary: 'Delete a package and its assets (soft delete; restorable)',
    description:
      'Refused (409 naming the dependents you can read) while assets in other packages depend on assets of this one, unless `force=true`; dependents inside the package go with it.',
  })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404, 409, 412)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @CurrentEditor() editor: AssetEditor,
    @UuidParam('id') id: string,
    @Query() query: DeletePackageQueryDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.packages.remove(
      id,
      { editor, visibility: visibilityOf(principal), force: query.force === 'true' },
      optionalVersion(ifMatch),
    );
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission('package:delete', { allowDeletedPackage: true })
  @ApiOperation({
    operationId: 'restorePackage',
    summary: 'Restore a deleted package with the assets deleted with it',
  })
  @ApiOkResponse({ type: PackageDto })
  @ApiProblems(400, 404, 409)
  restore(
    @CurrentPrincipal() principal: Principal,
    @UuidParam('id') id: string,
  ): Promise<PackageDto> {
    return this.packages.restore(id, visibilityOf(principal));
  }
}
