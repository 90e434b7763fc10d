import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Put, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type FastifyReply } from 'fastify';

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
import {
  CreateMappingSampleDto,
  MappingSampleDto,
  MappingSampleListDto,
  UpdateMappingSampleDto,
} from './dto/mapping-sample.dto';
import { MappingSamples } from './mapping-samples.service';

/** A mapping's named samples: input payload and optional expected output. */
@ApiTags('Mappings')
@Controller('packages/:id/mappings/:mappingId/samples')
export class MappingSamplesController {
  constructor(private readonly samples: MappingSamples) {}

  @Get()
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listMappingSamples',
    summary: "A mapping's samples, in name order (without their payloads)",
  })
  @ApiOkResponse({ type: MappingSampleListDto })
  @ApiProblems(400, 404)
  list(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
  ): Promise<MappingSampleListDto> {
    return this.samples.list(packageId, mappingId);
  }

  @Post()
  @RequirePermission('asset:write')
  @ApiOperation({ operationId: 'createMappingSample', summary: 'Add a named sample to a mapping' })
  @ApiCreatedResponse({ type: MappingSampleDto })
  @ApiProblems(400, 404, 409, 413, 415, 423)
  async create(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @Body() dto: CreateMappingSampleDto,
    @CurrentEditor() editor: AssetEditor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MappingSampleDto> {
    const sample = await this.samples.create(packageId, mappingId, dto, editor);
    void reply
      .header('location', `/api/packages/${packageId}/mappings/${mappingId}/samples/${sample.id}`)
      .header('etag', etag(sample.version));
    return sample;
  }

  @Get(':sampleId')
  @RequirePermission('asset:read')
  @ApiOperation({ operationId: 'getMappingSample', summary: 'One sample with its payloads' })
  @ApiOkResponse({ type: MappingSampleDto })
  @ApiProblems(400, 404)
  async get(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @UuidParam('sampleId') sampleId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MappingSampleDto> {
    const sample = await this.samples.get(packageId, mappingId, sampleId);
    void reply.header('etag', etag(sample.version));
    return sample;
  }

  @Put(':sampleId')
  @RequirePermission('asset:write')
  @ApiOperation({
    operationId: 'updateMappingSample',
    summary: 'Change a sample (fields left out keep their value; expectedOutput null removes it)',
  })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: MappingSampleDto })
  @ApiProblems(400, 404, 409, 412, 413, 415, 423, 428)
  async update(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @UuidParam('sampleId') sampleId: string,
    @Body() dto: UpdateMappingSampleDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentEditor() editor: AssetEditor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MappingSampleDto> {
    const sample = await this.samples.update(
      packageId,
      mappingId,
      sampleId,
      dto,
      expectedVersion(dto.version, ifMatch),
      editor,
    );
    void reply.header('etag', etag(sample.version));
    return sample;
  }

  @Delete(':sampleId')
  @HttpCode(204)
  @RequirePermission('asset:write')
  @ApiOperation({ operationId: 'deleteMappingSample', summary: 'Delete a sample' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiProblems(400, 404, 412, 423)
  async remove(
    @UuidParam('id') packageId: string,
    @UuidParam('mappingId') mappingId: string,
    @UuidParam('sampleId') sampleId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentEditor() editor: AssetEditor,
  ): Promise<void> {
    await this.samples.remove(packageId, mappingId, sampleId, optionalVersion(ifMatch), editor);
  }
}
