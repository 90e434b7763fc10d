import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { ASSET_STATUSES, ASSET_TYPES, DEPENDENCY_KINDS } from '@integrixs/domain';

/** `?depth=`: how far a walk follows the graph (1: direct edges only). */
export class GraphDepthQueryDto {
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: 64,
    description: 'How many hops to follow (1: direct only; default 64, the most).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  depth?: number;
}

/** An asset that depends on another (or one it depends on), and how far away. */
export class DependentAssetDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ enum: ASSET_TYPES, example: 'MAPPING' })
  type: string;

  @ApiProperty({ example: 'Invoice to ERP' })
  name: string;

  @ApiProperty({
    enum: DEPENDENCY_KINDS,
    example: 'MAPPING_SOURCE_SCHEMA',
    description: 'The kind of the edge that refers on (the last edge on the path).',
  })
  kind: string;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: '1: a direct edge; 2 and more: through other assets.',
  })
  depth: number;
}

/** An asset reached through the graph. */
export class GraphNodeDto extends DependentAssetDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', nullable: true },
    description:
      'Asset ids from the asset asked about to this one, both included (one shortest path); null for an asset on the way in a package you cannot read.',
  })
  path: (string | null)[];

  @ApiProperty({ description: 'In another package than the asset asked about.' })
  crossPackage: boolean;
}

/** What depends on an asset, or what it depends on. */
export class GraphWalkDto {
  @ApiProperty({ format: 'uuid' })
  assetId: string;

  @ApiProperty({ type: [GraphNodeDto], description: 'Nearest first, then by name.' })
  items: GraphNodeDto[];

  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'How many reached assets are in packages you cannot read (counted, never named).',
  })
  hidden: number;
}

/** One asset of a package's graph. */
export class PackageGraphNodeDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'UBL 2.1 Invoice (demo)' })
  packageName: string;

  @ApiProperty({ enum: ASSET_TYPES, example: 'SCHEMA' })
  type: string;

  @ApiProperty({ example: 'UBL Invoice 2.1' })
  name: string;

  @ApiProperty({ enum: ASSET_STATUSES, example: 'DRAFT' })
  status: string;

  @ApiProperty({
    description:
      'In another package, linked to this one by an edge (shown because you can read it).',
  })
  crossPackage: boolean;
}

/** One edge: `from` refers to `to`. */
export class PackageGraphEdgeDto {
  @ApiProperty({ format: 'uuid' })
  from: string;

  @ApiProperty({ format: 'uuid' })
  to: string;

  @ApiProperty({ enum: DEPENDENCY_KINDS, example: 'SCHEMA_IMPORT' })
  kind: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: null,
    description: 'The version of `to` used; null: its current version.',
  })
  pinnedVersion: number | null;

  @ApiProperty({ description: 'Its two ends are in different packages.' })
  crossPackage: boolean;
}

/** A package's assets and the edges among them and to / from other packages. */
export class PackageGraphDto {
  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ type: [PackageGraphNodeDto], description: 'Live assets, by type and name.' })
  nodes: PackageGraphNodeDto[];

  @ApiProperty({ type: [PackageGraphEdgeDto] })
  edges: PackageGraphEdgeDto[];

  @ApiProperty({
    type: 'integer',
    example: 0,
    description:
      'Assets in packages you cannot read linked to this package (counted, never named; their edges are left out).',
  })
  hiddenNodes: number;

  @ApiProperty({ type: 'integer', example: 0, description: 'Edges left out with them.' })
  hiddenEdges: number;
}

/** `?proposedVersion=` of the impact analysis. */
export class ImpactQueryDto {
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    description:
      'A saved version of the asset to judge against the current one (schemas: the compatibility verdict). Without it only the affected assets are listed.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  proposedVersion?: number;
}

/** One structural change between two versions (schemas: see the schema diff). */
export class ImpactChangeDto {
  @ApiProperty({ enum: ['added', 'removed', 'changed'] })
  change: string;

  @ApiProperty({ example: '/Invoice/DueDate' })
  path: string;

  @ApiProperty({ example: 'element' })
  kind: string;

  @ApiProperty({ example: true })
  breaking: boolean;

  @ApiProperty({ example: '/Invoice/DueDate became required (minOccurs 0 → 1)' })
  message: string;
}

/** What the asset type says about going from one version to another. */
export class ChangeVerdictDto {
  @ApiProperty({ type: 'integer', example: 1, description: 'The version compared from.' })
  from: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'The proposed version.' })
  to: number;

  @ApiProperty({ enum: ['breaking', 'non-breaking'] })
  compatibility: string;

  @ApiProperty({ type: [String], description: 'Why the change is breaking (empty: it is not).' })
  reasons: string[];

  @ApiProperty({ type: [ImpactChangeDto] })
  changes: ImpactChangeDto[];
}

/** How many affected assets of each type (readable ones). */
export class ImpactCountsDto {
  @ApiProperty({ type: 'integer' })
  SCHEMA: number;

  @ApiProperty({ type: 'integer' })
  ADAPTER: number;

  @ApiProperty({ type: 'integer' })
  MAPPING: number;

  @ApiProperty({ type: 'integer' })
  FLOW: number;
}

/** A sample that would fail against the proposed schema version. */
export class SampleFailureDto {
  @ApiProperty({ format: 'uuid' })
  sampleId: string;

  @ApiProperty({ example: 'Credit note' })
  sampleName: string;

  @ApiProperty({
    example:
      "the output does not fit the target schema at /issueDate: must have required property 'issueDate'",
  })
  reason: string;

  @ApiProperty({
    description:
      'It fails against the version the mapping uses today too: not caused by the proposed change.',
  })
  failsToday: boolean;
}

/** An active deployment that runs the changed asset or one it affects. */
export class ImpactedDeploymentDto {
  @ApiProperty({ format: 'uuid' })
  deploymentId: string;

  @ApiProperty({ format: 'uuid' })
  flowId: string;

  @ApiProperty({ example: 'UBL Invoice inbox to summary receiver' })
  flowName: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'DEV' })
  environment: string;

  @ApiProperty({ enum: ['DEPLOYED', 'SUSPENDED'] })
  state: string;

  @ApiProperty({ type: 'integer', example: 3 })
  flowVersion: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      'The version of the changed asset the deployment pins; null when it reaches it only through others.',
  })
  pinnedVersion: number | null;
}

/** An affected mapping's samples re-run against the proposed schema version. */
export class SampleRecheckDto {
  @ApiProperty({ format: 'uuid' })
  mappingId: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ example: 'UBL invoice to ERP' })
  name: string;

  @ApiProperty({
    enum: ['source', 'target', 'both'],
    description: 'Where the mapping uses the schema.',
  })
  side: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'The version the mapping pins today (null: it follows the current one).',
  })
  pinnedVersion: number | null;

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  passed: number;

  @ApiProperty({ type: 'integer' })
  failed: number;

  @ApiProperty({ type: [SampleFailureDto] })
  failures: SampleFailureDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The mapping cannot run against the proposed version at all (no sample ran).',
  })
  error: string | null;
}

export const IMPACT_PARTS = ['SAMPLE_TESTS', 'DEPLOYMENTS'] as const;

/** Who a change of the asset affects, and (for a schema and a proposed version) whether it breaks them. */
export class AssetImpactDto {
  @ApiProperty({ format: 'uuid' })
  assetId: string;

  @ApiProperty({ format: 'uuid' })
  packageId: string;

  @ApiProperty({ enum: ASSET_TYPES, example: 'SCHEMA' })
  type: string;

  @ApiProperty({ example: 'UBL Invoice 2.1' })
  name: string;

  @ApiProperty({ type: 'integer', example: 2 })
  currentVersion: number;

  @ApiProperty({ type: 'integer', nullable: true, example: 3 })
  proposedVersion: number | null;

  @ApiProperty({
    type: ChangeVerdictDto,
    nullable: true,
    description: 'The compatibility verdict; null without `proposedVersion`.',
  })
  verdict: ChangeVerdictDto | null;

  @ApiProperty({
    type: [GraphNodeDto],
    description:
      'Every asset that depends on this one, directly or through others (up to 10 hops), nearest first: mappings, adapters, flows and schemas in packages you can read.',
  })
  affected: GraphNodeDto[];

  @ApiProperty({ type: ImpactCountsDto })
  byType: ImpactCountsDto;

  @ApiProperty({
    type: 'integer',
    example: 0,
    description: 'Affected assets in packages you cannot read (counted, never named).',
  })
  hidden: number;

  @ApiProperty({
    type: [SampleRecheckDto],
    nullable: true,
    description:
      'With `proposedVersion`: each affected mapping that uses the schema as source or target, its stored samples re-run against the proposed version (which would fail, and why). null without `proposedVersion`.',
  })
  sampleTests: SampleRecheckDto[] | null;

  @ApiProperty({
    type: [ImpactedDeploymentDto],
    nullable: true,
    description:
      'The active deployments (per environment) whose flow or pinned assets include this asset or one it affects, in packages you can read; null when this server does not analyse deployments.',
  })
  deployments: ImpactedDeploymentDto[] | null;

  @ApiProperty({
    enum: IMPACT_PARTS,
    isArray: true,
    description:
      'Parts of the analysis this server does not make (yet): SAMPLE_TESTS (re-running the affected mappings’ samples against the proposed version), DEPLOYMENTS (deployments per environment).',
  })
  notAnalysed: string[];
}
