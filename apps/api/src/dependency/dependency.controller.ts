import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { RequirePermission } from '../core/http/permission.decorators';
import { ApiProblems } from '../core/http/problem.dto';
import { UuidParam } from '../core/http/uuid-param.decorator';
import { OkResponseSchema } from '../core/listing/response-schema';
import { CurrentPrincipal, visibilityOf, type Principal } from '../identity/principal';
import { DependencyGraphService } from './dependency-graph.service';
import { GRAPH_WALK_SCHEMA, PACKAGE_GRAPH_SCHEMA } from './dependency-response-schemas';
import {
  AssetImpactDto,
  GraphDepthQueryDto,
  GraphWalkDto,
  ImpactQueryDto,
  PackageGraphDto,
} from './dto/dependency-graph.dto';
import { ImpactService } from './impact.service';

const HIDDEN =
  'Assets in packages you cannot read are counted in `hidden`, never named; on a path they are null.';

/** The asset graph: dependencies, dependents, a package's graph and impact analysis. */
@ApiTags('Dependencies')
@Controller('packages/:id')
export class DependencyController {
  constructor(
    private readonly graphs: DependencyGraphService,
    private readonly impacts: ImpactService,
  ) {}

  @Get('assets/:assetId/dependencies')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listAssetDependencies',
    summary: 'What the asset depends on, transitively, with depth and path',
    description: HIDDEN,
  })
  @ApiOkResponse({ type: GraphWalkDto })
  @OkResponseSchema(GRAPH_WALK_SCHEMA)
  @ApiProblems(400, 404)
  dependencies(
    @UuidParam('id') packageId: string,
    @UuidParam('assetId') assetId: string,
    @Query() query: GraphDepthQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<GraphWalkDto> {
    return this.graphs.dependencies(packageId, assetId, query.depth, visibilityOf(principal));
  }

  @Get('assets/:assetId/dependents')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'listAssetDependents',
    summary: 'What depends on the asset, transitively, with depth and path',
    description: HIDDEN,
  })
  @ApiOkResponse({ type: GraphWalkDto })
  @OkResponseSchema(GRAPH_WALK_SCHEMA)
  @ApiProblems(400, 404)
  dependents(
    @UuidParam('id') packageId: string,
    @UuidParam('assetId') assetId: string,
    @Query() query: GraphDepthQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<GraphWalkDto> {
    return this.graphs.dependents(packageId, assetId, query.depth, visibilityOf(principal));
  }

  @Get('assets/:assetId/impact')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getAssetImpact',
    summary: 'Who a change of the asset affects; for a schema version, whether it breaks them',
    description:
      'Lists every asset that depends on this one (up to 10 hops). With `proposedVersion` (schemas only) the verdict compares the current version with it (when it is the current version: the version before it with it), as the schema diff does. `notAnalysed` names the parts this server does not analyse yet. ' +
      HIDDEN,
  })
  @ApiOkResponse({ type: AssetImpactDto })
  @ApiProblems(400, 404, 422)
  impact(
    @UuidParam('id') packageId: string,
    @UuidParam('assetId') assetId: string,
    @Query() query: ImpactQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AssetImpactDto> {
    return this.impacts.impact(packageId, assetId, query.proposedVersion, visibilityOf(principal));
  }

  @Get('dependency-graph')
  @RequirePermission('asset:read')
  @ApiOperation({
    operationId: 'getPackageDependencyGraph',
    summary: "The package's assets and their edges, with readable assets of other packages",
    description:
      'Nodes of other packages linked by an edge are included (marked `crossPackage`) when you can read their package; the others are counted in `hiddenNodes` and their edges in `hiddenEdges`.',
  })
  @ApiOkResponse({ type: PackageGraphDto })
  @OkResponseSchema(PACKAGE_GRAPH_SCHEMA)
  @ApiProblems(400, 404)
  packageGraph(
    @UuidParam('id') packageId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PackageGraphDto> {
    return this.graphs.packageGraph(packageId, visibilityOf(principal));
  }
}
