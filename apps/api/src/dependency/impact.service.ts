import { Injectable } from '@nestjs/common';

import { ASSET_TYPES, type AssetType } from '@integrixs/domain';

import { ValidationError } from '../core/errors/app-error';
import { type VisibilityScope } from '../identity/principal';
import { DependencyGraphService, marked } from './dependency-graph.service';
import { DependencyService } from './dependency.service';
import { type AssetImpactDto } from './dto/dependency-graph.dto';
import { ImpactExtensions } from './impact-extensions';

/**
 * Impact analysis: who a change of an asset affects (its dependents up to IMPACT_DEPTH, as far
 * as the caller may see) and, for a proposed version, the asset type's verdict (schemas: the
 * schema diff's breaking / non-breaking) and the affected mappings' samples re-run against it
 * (the mapping module's SampleRecheck), and the active deployments per environment that run it
 * (the deployments module's DeploymentImpact); an extension not filled is in `notAnalysed`.
 */
@Injectable()
export class ImpactService {
  constructor(
    private readonly graphs: DependencyGraphService,
    private readonly graph: DependencyService,
    private readonly extensions: ImpactExtensions,
  ) {}

  async impact(
    packageId: string,
    assetId: string,
    proposedVersion: number | undefined,
    visibility: VisibilityScope,
  ): Promise<AssetImpactDto> {
    const subject = await this.graphs.subject(packageId, assetId);
    let verdict = null;
    if (proposedVersion !== undefined) {
      const provider = this.extensions.verdictFor(subject.type);
      if (!provider) {
        throw ValidationError.of(
          'proposedVersion',
          `only schemas have a compatibility verdict; ${subject.type.toLowerCase()} ${assetId} is not one (leave proposedVersion out to list what it affects)`,
        );
      }
      verdict = await provider.verdict(subject, proposedVersion);
    }
    const walk = await this.graph.impact(assetId, visibility);
    const affected = marked(walk, subject.packageId);
    const byType = Object.fromEntries(ASSET_TYPES.map((t) => [t, 0])) as Record<AssetType, number>;
    for (const node of affected) byType[node.type as AssetType]++;
    const notAnalysed: string[] = [];
    const recheck = this.extensions.sampleRecheck;
    if (!recheck) notAnalysed.push('SAMPLE_TESTS');
    const sampleTests =
      recheck && proposedVersion !== undefined
        ? await recheck.recheck(subject, proposedVersion, affected, visibility)
        : null;
    const deploymentSource = this.extensions.deploymentImpact;
    if (!deploymentSource) notAnalysed.push('DEPLOYMENTS');
    const deployments = deploymentSource
      ? await deploymentSource.deployments(subject, affected, visibility)
      : null;
    return {
      assetId,
      packageId: subject.packageId,
      type: subject.type,
      name: subject.name,
      currentVersion: subject.currentVersion,
      proposedVersion: proposedVersion ?? null,
      verdict,
      affected,
      byType,
      hidden: walk.hidden,
      sampleTests,
      deployments,
      notAnalysed,
    };
  }
}
