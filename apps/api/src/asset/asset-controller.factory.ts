import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Post,
  Put,
  Res,
  type Type,
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

import { ASSET_PATH_SEGMENTS, type AssetType } from '@integrixs/domain';

import {
  etag,
  expectedVersion,
  IF_MATCH_HEADER,
  optionalVersion,
} from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { CurrentEditor, type AssetEditor } from './asset-editor';
import { ASSET_LABELS, AssetService } from './asset.service';
import { AssetDetailDto } from './dto/asset.dto';
import { CreateAssetDto } from './dto/create-asset.dto';
import { UpdateAssetDto } from './dto/update-asset.dto';

/** How routes and documentation name an asset type. */
export function namesOf(type: AssetType) {
  const label = ASSET_LABELS[type];
  const lower = label.toLowerCase();
  return {
    segment: ASSET_PATH_SEGMENTS[type],
    label,
    lower,
    idParam: `${lower}Id`,
    aLower: /^[aeiou]/.test(lower) ? `an ${lower}` : `a ${lower}`,
  };
}

/** The generic controllers of an asset type: CRUD and the state actions. */
export function createAssetControllers(type: AssetType): Type<unknown>[] {
  return [createAssetController(type), createAssetStateController(type)];
}

/**
 * Builds the generic CRUD controller for one asset type:
 * `POST /api/packages/{id}/{segment}`, `GET|PUT|DELETE /api/packages/{id}/{segment}/{xId}`.
 * Modules whose content has a shape of its own (schemas) mount their own CRUD controller
 * instead, next to {@link createAssetStateController}.
 */
export function createAssetController(type: AssetType): Type<unknown> {
  const { segment, label, idParam, aLower } = namesOf(type);

  @ApiTags(`${label}s`)
  @Controller(`packages/:id/${segment}`)
  class AssetController {
    constructor(readonly assets: AssetService) {}

    @Post()
    @RequirePermission('asset:write')
    @ApiOperation({
      operationId: `create${label}`,
      summary: `Create ${aLower} in a package (content becomes version 1)`,
    })
    @ApiCreatedResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404, 409, 413, 415)
    async create(
      @UuidParam('id') packageId: string,
      @Body() dto: CreateAssetDto,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<AssetDetailDto> {
      const asset = await this.assets.create(packageId, type, dto);
      void reply
        .header('location', `/api/packages/${packageId}/${segment}/${asset.id}`)
        .header('etag', etag(asset.version));
      return asset;
    }

    @Get(`:${idParam}`)
    @RequirePermission('asset:read')
    @ApiOperation({
      operationId: `get${label}`,
      summary: `Get ${aLower} with its current content`,
    })
    @ApiOkResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404)
    async get(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<AssetDetailDto> {
      const asset = await this.assets.get(packageId, type, assetId);
      void reply.header('etag', etag(asset.version));
      return asset;
    }

    @Put(`:${idParam}`)
    @RequirePermission('asset:write')
    @ApiOperation({
      operationId: `update${label}`,
      summary: `Update ${aLower}; new content makes a new version`,
    })
    @ApiHeader(IF_MATCH_HEADER)
    @ApiOkResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404, 409, 412, 413, 415, 428)
    async update(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @Body() dto: UpdateAssetDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentEditor() editor: AssetEditor,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<AssetDetailDto> {
      const asset = await this.assets.update(
        packageId,
        type,
        assetId,
        dto,
        expectedVersion(dto.version, ifMatch),
        editor,
      );
      void reply.header('etag', etag(asset.version));
      return asset;
    }

    @Delete(`:${idParam}`)
    @HttpCode(204)
    @RequirePermission('asset:write')
    @ApiOperation({
      operationId: `delete${label}`,
      summary: `Delete ${aLower} (soft delete; restorable)`,
    })
    @ApiHeader(IF_MATCH_HEADER)
    @ApiNoContentResponse({ description: 'Deleted.' })
    @ApiProblems(400, 404, 409, 412)
    async remove(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentEditor() editor: AssetEditor,
    ): Promise<void> {
      await this.assets.remove(packageId, type, assetId, editor, optionalVersion(ifMatch));
    }
  }

  Object.defineProperty(AssetController, 'name', { value: `${label}Controller` });
  return AssetController;
}

/**
 * The state actions every asset type shares, mounted next to its CRUD controller:
 * `POST .../{xId}/restore`, `PUT|DELETE .../{xId}/lock`.
 */
export function createAssetStateController(type: AssetType): Type<unknown> {
  const { segment, label, idParam, lower, aLower } = namesOf(type);

  @ApiTags(`${label}s`)
  @Controller(`packages/:id/${segment}`)
  class AssetStateController {
    constructor(readonly assets: AssetService) {}

    @Post(`:${idParam}/restore`)
    @HttpCode(200)
    @RequirePermission('asset:write')
    @ApiOperation({ operationId: `restore${label}`, summary: `Restore a deleted ${lower}` })
    @ApiOkResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404, 409)
    async restore(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @CurrentEditor() editor: AssetEditor,
    ): Promise<AssetDetailDto> {
      return this.assets.restore(packageId, type, assetId, editor);
    }

    @Put(`:${idParam}/lock`)
    @RequirePermission('asset:lock')
    @ApiOperation({
      operationId: `lock${label}`,
      summary: `Lock ${aLower}: only you or a package administrator can then change it`,
    })
    @ApiOkResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404, 423)
    lock(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @CurrentEditor() editor: AssetEditor,
    ): Promise<AssetDetailDto> {
      return this.assets.lock(packageId, type, assetId, editor);
    }

    @Delete(`:${idParam}/lock`)
    @RequirePermission('asset:lock')
    @ApiOperation({
      operationId: `unlock${label}`,
      summary: `Unlock ${aLower} (the locker or a package administrator)`,
    })
    @ApiOkResponse({ type: AssetDetailDto })
    @ApiProblems(400, 404, 423)
    unlock(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @CurrentEditor() editor: AssetEditor,
    ): Promise<AssetDetailDto> {
      return this.assets.unlock(packageId, type, assetId, editor);
    }
  }

  Object.defineProperty(AssetStateController, 'name', { value: `${label}StateController` });
  return AssetStateController;
}
