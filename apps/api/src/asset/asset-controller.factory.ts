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
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { CurrentEditor, type AssetEditor } from './asset-editor';
import { ASSET_LABELS } from './asset-rows';
import { type AssetInput } from './asset-type-handler';
import { AssetService } from './asset.service';
import { AssetDetailDto } from './dto/asset.dto';
import { CreateAssetDto } from './dto/create-asset.dto';
import { UpdateAssetDto } from './dto/update-asset.dto';

/** How one CRUD route is documented, where a type says more than the generic text. */
export interface AssetRouteDocs {
  summary?: string;
  description?: string;
  /** The problem statuses the route can answer (default: the generic route's). */
  problems?: number[];
}

/**
 * What a type's CRUD routes take and give, where they differ from the generic JSON content:
 * the body DTOs (validated by the global pipe, documented in OpenAPI), the detail view, a query
 * DTO for DELETE with `force` (types whose handler refuses deletes while others depend on them).
 */
export interface AssetRouteSpec {
  createBody?: Type<AssetInput>;
  updateBody?: Type<AssetInput & { version?: number }>;
  view?: Type<AssetDetailDto>;
  deleteQuery?: Type<{ force?: 'true' | 'false' }>;
  docs?: {
    create?: AssetRouteDocs;
    get?: AssetRouteDocs;
    update?: AssetRouteDocs;
    delete?: AssetRouteDocs;
  };
}

/** Nest and Swagger read a parameter's DTO class from `design:paramtypes`: set one of them. */
function setParamType(target: Type<unknown>, method: string, index: number, type: unknown): void {
  const proto = target.prototype as object;
  const types = [...((Reflect.getMetadata('design:paramtypes', proto, method) as unknown[]) ?? [])];
  types[index] = type;
  Reflect.defineMetadata('design:paramtypes', types, proto, method);
}

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
export function createAssetControllers(
  type: AssetType,
  spec: AssetRouteSpec = {},
): Type<unknown>[] {
  return [createAssetController(type, spec), createAssetStateController(type)];
}

/**
 * Builds the generic CRUD controller for one asset type:
 * `POST /api/packages/{id}/{segment}`, `GET|PUT|DELETE /api/packages/{id}/{segment}/{xId}`.
 * Every write goes through AssetService and so through the type's handler; `spec` gives the
 * bodies and view of types whose content has a shape of its own (schemas).
 */
export function createAssetController(type: AssetType, spec: AssetRouteSpec = {}): Type<unknown> {
  const { segment, label, idParam, aLower } = namesOf(type);
  const docs = spec.docs ?? {};
  const view = spec.view ?? AssetDetailDto;
  // DELETE reads a query (`force`) only for types that take one; others keep ignoring queries.
  const deleteQuery: ParameterDecorator = spec.deleteQuery ? Query() : () => undefined;

  @ApiTags(`${label}s`)
  @Controller(`packages/:id/${segment}`)
  class AssetController {
    constructor(readonly assets: AssetService) {}

    @Post()
    @RequirePermission('asset:write')
    @ApiOperation({
      operationId: `create${label}`,
      summary: docs.create?.summary ?? `Create ${aLower} in a package (content becomes version 1)`,
      description: docs.create?.description,
    })
    @ApiCreatedResponse({ type: view })
    @ApiProblems(...(docs.create?.problems ?? [400, 404, 409, 413, 415]))
    async create(
      @UuidParam('id') packageId: string,
      @Body() dto: CreateAssetDto,
      @CurrentPrincipal() principal: Principal,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<AssetDetailDto> {
      const asset = await this.assets.create(packageId, type, dto, visibilityOf(principal));
      void reply
        .header('location', `/api/packages/${packageId}/${segment}/${asset.id}`)
        .header('etag', etag(asset.version));
      return asset;
    }

    @Get(`:${idParam}`)
    @RequirePermission('asset:read')
    @ApiOperation({
      operationId: `get${label}`,
      summary: docs.get?.summary ?? `Get ${aLower} with its current content`,
      description: docs.get?.description,
    })
    @ApiOkResponse({ type: view })
    @ApiProblems(...(docs.get?.problems ?? [400, 404]))
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
      summary: docs.update?.summary ?? `Update ${aLower}; new content makes a new version`,
      description: docs.update?.description,
    })
    @ApiHeader(IF_MATCH_HEADER)
    @ApiOkResponse({ type: view })
    @ApiProblems(...(docs.update?.problems ?? [400, 404, 409, 412, 413, 415, 428]))
    async update(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @Body() dto: UpdateAssetDto,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentEditor() editor: AssetEditor,
      @CurrentPrincipal() principal: Principal,
      @Res({ passthrough: true }) reply: FastifyReply,
    ): Promise<AssetDetailDto> {
      const asset = await this.assets.update(
        packageId,
        type,
        assetId,
        dto,
        expectedVersion(dto.version, ifMatch),
        editor,
        visibilityOf(principal),
      );
      void reply.header('etag', etag(asset.version));
      return asset;
    }

    @Delete(`:${idParam}`)
    @HttpCode(204)
    @RequirePermission('asset:write')
    @ApiOperation({
      operationId: `delete${label}`,
      summary: docs.delete?.summary ?? `Delete ${aLower} (soft delete; restorable)`,
      description: docs.delete?.description,
    })
    @ApiHeader(IF_MATCH_HEADER)
    @ApiNoContentResponse({ description: 'Deleted.' })
    @ApiProblems(...(docs.delete?.problems ?? [400, 404, 409, 412]))
    async remove(
      @UuidParam('id') packageId: string,
      @UuidParam(idParam) assetId: string,
      @deleteQuery query: { force?: 'true' | 'false' } | undefined,
      @Headers('if-match') ifMatch: string | undefined,
      @CurrentEditor() editor: AssetEditor,
      @CurrentPrincipal() principal: Principal,
    ): Promise<void> {
      await this.assets.remove(packageId, type, assetId, editor, optionalVersion(ifMatch), {
        force: query?.force === 'true',
        visibility: visibilityOf(principal),
      });
    }
  }

  if (spec.createBody) setParamType(AssetController, 'create', 1, spec.createBody);
  if (spec.updateBody) setParamType(AssetController, 'update', 2, spec.updateBody);
  if (spec.deleteQuery) setParamType(AssetController, 'remove', 2, spec.deleteQuery);

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
