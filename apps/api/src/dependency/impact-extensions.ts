import { Injectable } from '@nestjs/common';

import { type AssetType } from '@integrixs/domain';

import { type VisibilityScope } from '../identity/principal';
import { type GraphNode } from './dependency.service';

/** The asset an impact analysis is about. */
export interface ImpactSubject {
  id: string;
  packageId: string;
  type: AssetType;
  name: string;
  currentVersion: number;
}

/** One structural change between two versions, as an asset type reports it. */
export interface ImpactChange {
  change: string;
  path: string;
  kind: string;
  breaking: boolean;
  message: string;
}

/** An asset type's judgement of moving from version `from` to `to`. */
export interface ChangeVerdict {
  from: number;
  to: number;
  compatibility: 'breaking' | 'non-breaking';
  reasons: string[];
  changes: ImpactChange[];
}

/**
 * Judges a proposed version of one asset type (schemas: the schema diff). Registered by the
 * type's module; 404 / 422 for a version that does not exist or cannot be read are its own.
 */
export interface ChangeVerdictProvider {
  verdict(subject: ImpactSubject, proposedVersion: number): Promise<ChangeVerdict>;
}

/** One sample that would fail against the proposed version, and why. */
export interface SampleFailure {
  sampleId: string;
  sampleName: string;
  reason: string;
  /** It fails against the version the mapping uses today too (not caused by the change). */
  failsToday: boolean;
}

/** A mapping's samples re-run against the proposed version of a schema it uses. */
export interface SampleRecheckResult {
  mappingId: string;
  packageId: string;
  name: string;
  /** Which side(s) of the mapping the schema is. */
  side: 'source' | 'target' | 'both';
  /** The version the mapping pins today (null: it follows the current one). */
  pinnedVersion: number | null;
  total: number;
  passed: number;
  failed: number;
  failures: SampleFailure[];
  /** The mapping cannot run against the proposed version at all (then no sample ran). */
  error: string | null;
}

/**
 * The mapping module's part: re-runs the samples of the affected mappings that use the schema
 * directly against its proposed version and reports which would fail and why.
 */
export interface SampleRecheck {
  recheck(
    subject: ImpactSubject,
    proposedVersion: number,
    mappings: readonly GraphNode[],
    visibility: VisibilityScope,
  ): Promise<SampleRecheckResult[]>;
}

/** An active deployment that runs the changed asset or one it affects. */
export interface ImpactedDeployment {
  deploymentId: string;
  flowId: string;
  flowName: string;
  packageId: string;
  environment: string;
  state: string;
  flowVersion: number;
  /** The version of the changed asset this deployment pins (null: it reaches it only through others). */
  pinnedVersion: number | null;
}

/**
 * The deployments module's part: the active deployments per environment whose flow or pinned
 * assets include the changed one or an affected one, in packages the caller may read.
 */
export interface DeploymentImpactSource {
  deployments(
    subject: ImpactSubject,
    affected: readonly GraphNode[],
    visibility: VisibilityScope,
  ): Promise<ImpactedDeployment[]>;
}

/**
 * The extension points of impact analysis. dependency/ sits below the asset types
 * (apps/api/eslint.config.mjs), so the types plug their part in here at start-up, as handlers
 * do with the AssetTypeRegistry, instead of being imported.
 */
@Injectable()
export class ImpactExtensions {
  private readonly verdicts = new Map<AssetType, ChangeVerdictProvider>();
  sampleRecheck: SampleRecheck | null = null;
  deploymentImpact: DeploymentImpactSource | null = null;

  registerVerdict(type: AssetType, provider: ChangeVerdictProvider): void {
    this.verdicts.set(type, provider);
  }

  verdictFor(type: AssetType): ChangeVerdictProvider | undefined {
    return this.verdicts.get(type);
  }
}
