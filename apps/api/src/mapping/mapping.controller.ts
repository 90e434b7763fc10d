import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

import { CurrentEditor, type AssetEditor } from '../asset/asset-editor';
import { ValidationError } from '../core/errors/app-error';
import { etag, IF_MATCH_HEADER, ifMatchVersion } from '../core/http/expected-version';
import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { PageQueryDto } from '../core/listing/list-query.dto';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { SchemaDiffQueryDto } from '../schema/dto/schema-input.dto';
import { RollbackMappingDto } from './dto/mapping-input.dto';
import {
  MappingTestAllDto,
  MappingTestRequestDto,
  MappingTestResultDto,
} from './dto/mapping-test.dto';
import {
  MappingCompletenessDto,
  MappingDetailDto,
  MappingDiffDto,
  MappingVersionDetailDto,
  MappingVersionPageDto,
} from './dto/mapping-views.dto';
import { MappingTester } from './mapping-tester';
import { MappingService } from './mapping.service';

/** The mapping-specific routes: versions, rollback, completeness and sample tests. */
@ApiTags('Mappings')
@Controller('packages/:id/mappings')
export class MappingController {
  constructor(
    private readonly mappings: MappingService,
    private readonly tester: MappingTester,
  ) {}

  @Get(':mappingId/versions')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listMappingVersions',
    summary: 'Versions of a mapping, newest first',
  })
  @ApiOkResponse({ type: MappingVersionPageDto })
  @ApiProblems(400, 404)
  versions(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Query() query: PageQueryDto,
  ): Promise<MappingVersionPageDto> {
    return this.mappings.versions(packageId, mappingId, query.limit ?? 50, query.cursor);
  }

  @Get(':mappingId/versions/:n')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getMappingVersion',
    summary: 'One version of a mapping, with its content',
  })
  @ApiParam({ name: 'n', schema: { type: 'integer', minimum: 1 } })
  @ApiOkResponse({ type: MappingVersionDetailDto })
  @ApiProblems(400, 404)
  version(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Param('n') n: string,
  ): Promise<MappingVersionDetailDto> {
    return this.mappings.version(packageId, mappingId, versionNumber(n));
  }

  @Post(':mappingId/rollback')
  @HttpCode(200)
  @RequirePermission('asset:write')
  @ApiOperation({
    operationId: 'rollbackMapping',
    summary: 'Make an earlier version current again (as a new version, compiled again)',
    description:
      "The body's `version` is the content version to go back to; the version you read goes in If-Match (required: 428 without it, 412 when it is stale).",
  })
  @ApiHeader({ ...IF_MATCH_HEADER, required: true, description: 'The version you read, e.g. "3".' })
  @ApiOkResponse({ type: MappingDetailDto })
  @ApiProblems(400, 404, 409, 412, 422, 423, 428)
  async rollback(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Body() dto: RollbackMappingDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentEditor() editor: AssetEditor,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MappingDetailDto> {
    const mapping = await this.mappings.rollback(
      packageId,
      mappingId,
      dto.version,
      dto.message,
      ifMatchVersion(ifMatch, 'the version to go back to'),
      editor,
      visibilityOf(principal),
    );
    void reply.header('etag', etag(mapping.version));
    return mapping;
  }

  @Get(':mappingId/diff')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'diffMappingVersions',
    summary: 'What changed between two versions of a mapping',
    description:
      'Default: the current version against the one before. Changes are JSON pointers into the content; rules are keyed by their target and XSLT files by path, so reordering them is no change.',
  })
  @ApiOkResponse({ type: MappingDiffDto })
  @ApiProblems(400, 404)
  diff(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Query() query: SchemaDiffQueryDto,
  ): Promise<MappingDiffDto> {
    return this.mappings.diff(packageId, mappingId, query.from, query.to);
  }

  @Get(':mappingId/completeness')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getMappingCompleteness',
    summary: 'Which target fields the mapping covers, which required ones it misses',
    description:
      'Against the target schema (pinned version or current). A required field below an optional parent nothing maps is not missing; a required choice none of whose alternatives is mapped is one entry with `oneOf`. A whole-document expression or an XSLT stylesheet covers everything.',
  })
  @ApiOkResponse({ type: MappingCompletenessDto })
  @ApiProblems(400, 404, 422)
  completeness(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
  ): Promise<MappingCompletenessDto> {
    return this.mappings.completeness(packageId, mappingId);
  }

  @Post(':mappingId/test')
  @HttpCode(200)
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'testMapping',
    summary: 'Run the mapping on a stored sample or an ad-hoc payload',
    description:
      'Validates the input against the source schema, transforms in a worker thread (time limit and memory cap: a runaway expression is stopped and reported in `error`), validates the output against the target schema and compares it with the expected output. The answer is 200 whatever the outcome; `passed` sums it up.',
  })
  @ApiOkResponse({ type: MappingTestResultDto })
  @ApiProblems(400, 404, 413, 422)
  test(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Body() dto: MappingTestRequestDto,
  ): Promise<MappingTestResultDto> {
    return this.tester.test(packageId, mappingId, dto);
  }

  @Post(':mappingId/test-all')
  @HttpCode(200)
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'testMappingSamples',
    summary: 'Run every stored sample of the mapping',
  })
  @ApiOkResponse({ type: MappingTestAllDto })
  @ApiProblems(400, 404, 422)
  testAll(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
  ): Promise<MappingTestAllDto> {
    return this.tester.testAll(packageId, mappingId);
  }
}

function versionNumber(raw: string): number {
  const n = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(n)) throw ValidationError.of('n', 'must be a version number (1, 2, …)');
  return n;
}
