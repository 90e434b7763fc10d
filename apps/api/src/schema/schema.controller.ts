import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { type AssetRouteSpec } from '../asset/asset-controller.factory';
import { CurrentEditor, type AssetEditor } from '../asset/asset-editor';
import { ValidationError } from '../core/errors/app-error';
import { etag, IF_MATCH_HEADER, ifMatchVersion } from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { PageQueryDto } from '../core/listing/list-query.dto';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import {
  CreateSchemaDto,
  DeleteSchemaQueryDto,
  RollbackSchemaDto,
  SchemaDiffQueryDto,
  SchemaStructureQueryDto,
  SchemaVersionQueryDto,
  UpdateSchemaDto,
} from './dto/schema-input.dto';
import {
  PayloadValidationDto,
  SchemaDetailDto,
  SchemaDiffDto,
  SchemaStructureDto,
  SchemaVersionDetailDto,
  SchemaVersionPageDto,
} from './dto/schema-views.dto';
import { payloadOf } from './payload-body';
import { SchemaLibraryService } from './schema-library.service';

/**
 * How the generic asset routes (asset-controller.factory.ts) take and document schemas: create,
 * get, update and delete are theirs, driven by SchemaAssetHandler.
 */
export const SCHEMA_ROUTES: AssetRouteSpec = {
  createBody: CreateSchemaDto,
  updateBody: UpdateSchemaDto,
  view: SchemaDetailDto,
  deleteQuery: DeleteSchemaQueryDto,
  docs: {
    create: {
      summary: 'Add an XSD, WSDL or JSON Schema (one document, a bundle of files, or a zip)',
      description:
        'The schema is compiled first: imports, includes and $refs resolve within the bundle, then against the library by namespace / $id (this package first, then packages you can read); nothing is fetched from the network. Every problem comes back in one 422. When several readable packages offer an identifier, the answer is 409 with the `candidates`: choose one in `libraryChoices`. Imports from other packages are pinned to the version read now; within the package they follow the current version.',
      problems: [400, 404, 409, 413, 415, 422],
    },
    update: {
      summary: 'Update a schema; new content is compiled and becomes a new version',
      description:
        'Identical content makes no new version. New content resolves library imports again: an identifier keeps the schema earlier saves bound it to (re-pinned to its current version) unless `libraryChoices` chooses another; 409 when that schema is no longer readable and others offer the identifier.',
      problems: [400, 404, 409, 412, 413, 415, 422, 423, 428],
    },
    delete: {
      description:
        'Refused with 409 while other assets depend on the schema, unless a package administrator sends force=true: `dependents` lists those in packages you can read, `hiddenDependents` counts the others.',
      problems: [400, 403, 404, 409, 412, 423],
    },
  },
};

/** The schema-specific routes: versions, rollback, diff, structure and payload validation. */
@ApiTags('Schemas')
@Controller('packages/:id/schemas')
export class SchemaController {
  constructor(private readonly schemas: SchemaLibraryService) {}

  @Get(':schemaId/versions')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listSchemaVersions',
    summary: 'Versions of a schema, newest first',
  })
  @ApiOkResponse({ type: SchemaVersionPageDto })
  @ApiProblems(400, 404)
  versions(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Query() query: PageQueryDto,
  ): Promise<SchemaVersionPageDto> {
    return this.schemas.versions(packageId, schemaId, query.limit ?? 50, query.cursor);
  }

  @Get(':schemaId/versions/:n')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getSchemaVersion',
    summary: 'One version of a schema, with its content',
  })
  @ApiParam({ name: 'n', schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: SchemaVersionDetailDto })
  @ApiProblems(400, 404)
  version(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Param('n') n: string,
  ): Promise<SchemaVersionDetailDto> {
    return this.schemas.version(packageId, schemaId, versionNumber(n));
  }

  @Post(':schemaId/rollback')
  @HttpCode(200)
  @RequirePermission('asset:write')
  @ApiOperation({
    operationId: 'rollbackSchema',
    summary: 'Make an earlier version current again (as a new version)',
    description:
      "The body's `version` is the content version to go back to; the version you read goes in If-Match (required: 428 without it, 412 when it is stale).",
  })
  @ApiHeader({
    ...IF_MATCH_HEADER,
    required: true,
    description: 'The version you read, e.g. "3".',
  })
  @ApiOkResponse({ type: SchemaDetailDto })
  @ApiProblems(400, 404, 409, 412, 422, 423, 428)
  async rollback(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Body() dto: RollbackSchemaDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentEditor() editor: AssetEditor,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SchemaDetailDto> {
    const schema = await this.schemas.rollback(
      packageId,
      schemaId,
      dto.version,
      dto.message,
      ifMatchVersion(ifMatch, 'the version to go back to'),
      editor,
      { visibility: visibilityOf(principal), choices: dto.libraryChoices },
    );
    void reply.header('etag', etag(schema.version));
    return schema;
  }

  @Get(':schemaId/diff')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'diffSchemaVersions',
    summary: 'Structural and text diff between two versions, with the compatibility verdict',
    description:
      'Breaking: something built against `from` can fail with `to` (removed element/type/operation, optional → required, narrower type or cardinality). `dependents` are the assets the change affects in packages you can read; `hiddenDependents` counts those in other packages.',
  })
  @ApiOkResponse({ type: SchemaDiffDto })
  @ApiProblems(400, 404, 422)
  diff(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Query() query: SchemaDiffQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SchemaDiffDto> {
    return this.schemas.diff(packageId, schemaId, query.from, query.to, visibilityOf(principal));
  }

  @Get(':schemaId/structure')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getSchemaStructure',
    summary: 'The field tree: XSD root elements, WSDL operation messages, JSON Schema properties',
  })
  @ApiOkResponse({ type: SchemaStructureDto })
  @ApiProblems(400, 404, 422)
  structure(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Query() query: SchemaStructureQueryDto,
  ): Promise<SchemaStructureDto> {
    return this.schemas.structure(packageId, schemaId, query);
  }

  @Post(':schemaId/validate')
  @HttpCode(200)
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'validatePayload',
    summary: 'Validate an XML or JSON payload against the schema',
    description:
      'Send the payload itself as the body: XML (application/xml, text/xml or any +xml type) for XSD and WSDL schemas, JSON (application/json) for JSON Schemas. An invalid payload is a 200 with `valid: false` and every error located.',
  })
  @ApiConsumes('application/xml', 'text/xml', 'application/json')
  @ApiBody({
    description: 'The payload to validate.',
    schema: { type: 'string', example: '<Invoice xmlns="urn:oasis:…">…</Invoice>' },
  })
  @ApiOkResponse({ type: PayloadValidationDto })
  @ApiProblems(400, 404, 413, 415, 422)
  validate(
    @UuidParam('id') packageId: string,
    @UuidParam('schemaId') schemaId: string,
    @Query() query: SchemaVersionQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<PayloadValidationDto> {
    return this.schemas.validate(
      packageId,
      schemaId,
      payloadOf(request),
      query.version,
      query.root,
    );
  }
}

function versionNumber(raw: string): number {
  const n = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(n)) throw ValidationError.of('n', 'must be a version number (1, 2, …)');
  return n;
}
