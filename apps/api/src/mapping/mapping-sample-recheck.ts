import { Injectable, type OnModuleInit } from '@nestjs/common';

import { AppError } from '../core/errors/app-error';
import { type GraphNode } from '../dependency/dependency.service';
import {
  ImpactExtensions,
  type ImpactSubject,
  type SampleRecheck,
  type SampleRecheckResult,
} from '../dependency/impact-extensions';
import { MappingTester } from './mapping-tester';
import { MappingService } from './mapping.service';
import { whySampleFailed } from './sample-failure';

/**
 * The mapping module's part of impact analysis (GET …/assets/{schemaId}/impact?proposedVersion=):
 * every affected mapping that uses the schema as its source or target has its stored samples
 * run against the proposed version (MappingTester.testAll with that version substituted) and
 * against today's, so each failure says why and whether the change causes it.
 */
@Injectable()
export class MappingSampleRecheck implements SampleRecheck, OnModuleInit {
  constructor(
    private readonly extensions: ImpactExtensions,
    private readonly mappings: MappingService,
    private readonly tester: MappingTester,
  ) {}

  onModuleInit(): void {
    this.extensions.sampleRecheck = this;
  }

  async recheck(
    subject: ImpactSubject,
    proposedVersion: number,
    affected: readonly GraphNode[],
  ): Promise<SampleRecheckResult[]> {
    const schemaId = subject.id.toLowerCase();
    const results: SampleRecheckResult[] = [];
    for (const node of affected.filter((n) => n.type === 'MAPPING')) {
      const { asset, content } = await this.mappings
        .load(node.packageId, node.id)
        .catch(() => ({ asset: null, content: null }));
      const source = content?.sourceSchema.assetId.toLowerCase() === schemaId;
      const target = content?.targetSchema.assetId.toLowerCase() === schemaId;
      if (!asset || !content || (!source && !target)) continue; // through another schema only
      const ref = source ? content.sourceSchema : content.targetSchema;
      const base = {
        mappingId: node.id,
        packageId: node.packageId,
        name: node.name,
        side:
          source && target ? ('both' as const) : source ? ('source' as const) : ('target' as const),
        pinnedVersion: ref.version,
      };
      const today = await this.tester.testAll(node.packageId, node.id).catch(() => null);
      try {
        const run = await this.tester.testAll(node.packageId, node.id, {
          schemaVersions: new Map([[schemaId, proposedVersion]]),
        });
        const failingToday = new Set(
          (today?.results ?? []).filter((r) => !r.passed).map((r) => r.sampleId),
        );
        results.push({
          ...base,
          total: run.total,
          passed: run.passed,
          failed: run.failed,
          failures: run.results
            .filter((r) => !r.passed)
            .map((r) => ({
              sampleId: r.sampleId ?? '',
              sampleName: r.sampleName ?? '',
              reason: whySampleFailed(r),
              failsToday: failingToday.has(r.sampleId),
            })),
          error: null,
        });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        const detail = error.errors.map((e) => `${e.path} ${e.message}`).join('; ');
        results.push({
          ...base,
          total: today?.total ?? 0,
          passed: 0,
          failed: today?.total ?? 0,
          failures: [],
          error: `the mapping cannot run against version ${proposedVersion}: ${detail || error.message}`,
        });
      }
    }
    return results;
  }
}
