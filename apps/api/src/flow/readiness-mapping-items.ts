import { AppError } from '../core/errors/app-error';
import { type MappingTester } from '../mapping/mapping-tester';
import { type MappingService } from '../mapping/mapping.service';
import { whySampleFailed } from '../mapping/sample-failure';
import { named, say, type KnownAsset } from './readiness-assets';
import { type ReadinessItem } from './readiness-types';

/**
 * The mapping line of the checklist for one mapping: every required target field mapped
 * (completeness) and every stored sample passing (MappingTester.testAll). No samples is a
 * warning: nothing proves the mapping, but nothing fails either. With `pins` (a deployment's
 * lock file) both run on the mapping's pinned version against the pinned schema versions.
 */
export async function mappingItem(
  mappings: MappingService,
  tester: MappingTester,
  mapping: KnownAsset,
  pins?: ReadonlyMap<string, number>,
): Promise<ReadinessItem> {
  const asset = named(mapping);
  const base = { key: 'mapping' as const, asset };
  const at = pins ? { version: pins.get(mapping.id), schemaVersions: pins } : {};
  try {
    const report = await mappings.completeness(mapping.packageId, mapping.id, at);
    if (!report.complete) {
      const fields = report.missingRequired.map((f) => f.path);
      return {
        ...base,
        status: 'fail',
        explanation: `${say(mapping)} leaves required target fields unmapped: ${fields.join(', ')}`,
        fixHint: `Add rules for ${fields.join(', ')} in ${say(mapping)} (GET …/mappings/${mapping.id}/completeness lists them).`,
      };
    }
    const run = await tester.testAll(mapping.packageId, mapping.id, at);
    if (run.total === 0)
      return {
        ...base,
        status: 'warn',
        explanation: `${say(mapping)} is complete but has no samples to test`,
        fixHint: `Add a sample with its expected output to ${say(mapping)} so its behaviour is proven.`,
      };
    const failed = run.results.filter((r) => !r.passed);
    if (failed.length > 0)
      return {
        ...base,
        status: 'fail',
        explanation: `${failed.length} of ${run.total} sample test(s) of ${say(mapping)} fail: ${failed
          .slice(0, 3)
          .map((r) => `"${r.sampleName ?? 'sample'}": ${whySampleFailed(r)}`)
          .join('; ')}${failed.length > 3 ? '; …' : ''}`,
        fixHint: `Fix ${say(mapping)} (or the samples' expected output) until POST …/mappings/${mapping.id}/test-all passes.`,
      };
    return {
      ...base,
      status: 'pass',
      explanation: `${say(mapping)} is complete and all ${run.total} sample test(s) pass`,
      fixHint: null,
    };
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    return {
      ...base,
      status: 'fail',
      explanation: `${say(mapping)} cannot be checked: ${error.message}`,
      fixHint: `Open ${say(mapping)} and fix its schemas or rules.`,
    };
  }
}
