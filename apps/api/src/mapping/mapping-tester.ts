import { Injectable } from '@nestjs/common';

import { MappingCompileError, xmlToJson } from '@integrixs/mapping-engine';

import { ValidationError } from '../core/errors/app-error';
import {
  type MappingTestAllDto,
  type MappingTestRequestDto,
  type MappingTestResultDto,
} from './dto/mapping-test.dto';
import { definitionOf } from './mapping-content';
import { MappingInvalidError } from './mapping-errors';
import { MappingRuns } from './mapping-runs';
import { MappingSamples } from './mapping-samples.service';
import { MappingSchemas, type ResolvedSide } from './mapping-schemas';
import { MappingService, type LoadedMapping, type MappingVersionChoice } from './mapping.service';
import { outputDiff, type OutputDifference } from './output-diff';

interface TestCase {
  sampleId: string | null;
  sampleName: string | null;
  input: string;
  expectedOutput: string | null;
}

/**
 * Sample tests: validate the input against the source schema, transform in a worker (time and
 * memory limits), validate the output against the target schema and compare it with the
 * expected output. A failure of the mapping itself is part of the answer, never an error status.
 */
@Injectable()
export class MappingTester {
  constructor(
    private readonly mappings: MappingService,
    private readonly samples: MappingSamples,
    private readonly schemas: MappingSchemas,
    private readonly runs: MappingRuns,
  ) {}

  async test(
    packageId: string,
    mappingId: string,
    dto: MappingTestRequestDto,
  ): Promise<MappingTestResultDto> {
    if ((dto.sampleId === undefined) === (dto.input === undefined)) {
      throw ValidationError.of('sampleId', 'send exactly one of sampleId and input', 'one_of');
    }
    if (dto.sampleId !== undefined && dto.expectedOutput !== undefined) {
      throw ValidationError.of(
        'expectedOutput',
        'goes with input; a stored sample has its own expected output',
        'one_of',
      );
    }
    const loaded = await this.mappings.load(packageId, mappingId);
    let testCase: TestCase;
    if (dto.sampleId !== undefined) {
      const sample = await this.samples.get(packageId, mappingId, dto.sampleId);
      testCase = {
        sampleId: sample.id,
        sampleName: sample.name,
        input: sample.input,
        expectedOutput: sample.expectedOutput,
      };
    } else {
      testCase = {
        sampleId: null,
        sampleName: null,
        input: dto.input ?? '',
        expectedOutput: dto.expectedOutput ?? null,
      };
    }
    return this.run(loaded, testCase);
  }

  /**
   * Runs every stored sample. `options.schemaVersions` (schema id → version) runs them against
   * those schema versions instead of the ones the mapping uses (impact of a proposed version);
   * `options.version` runs that version of the mapping (a deployment's pinned one).
   */
  async testAll(
    packageId: string,
    mappingId: string,
    options: MappingVersionChoice = {},
  ): Promise<MappingTestAllDto> {
    const loaded = await this.mappings.load(
      packageId,
      mappingId,
      options.schemaVersions,
      options.version,
    );
    const samples = await this.samples.all(mappingId);
    const results: MappingTestResultDto[] = [];
    for (const sample of samples) {
      results.push(
        await this.run(loaded, {
          sampleId: sample.id,
          sampleName: sample.name,
          input: sample.input,
          expectedOutput: sample.expectedOutput,
        }),
      );
    }
    const passed = results.filter((r) => r.passed).length;
    return { total: results.length, passed, failed: results.length - passed, results };
  }

  private async run(loaded: LoadedMapping, test: TestCase): Promise<MappingTestResultDto> {
    const { asset, contentVersion, content, source, target } = loaded;
    const inputCheck = await this.schemas.validate(source, test.input);
    const definition = definitionOf(content, source.side, target.side);
    const key = `${asset.id}@${contentVersion}|${source.key}|${source.ref.root ?? ''}|${target.key}|${target.ref.root ?? ''}`;
    let outcome;
    try {
      outcome = await this.runs.run(key, definition, test.input);
    } catch (error) {
      if (error instanceof MappingCompileError)
        throw MappingInvalidError.compile(error.problems, content);
      throw error;
    }
    const base = {
      sampleId: test.sampleId,
      sampleName: test.sampleName,
      inputValid: inputCheck.valid,
      inputErrors: inputCheck.errors,
    };
    if (!outcome.ok) {
      return {
        ...base,
        passed: false,
        output: null,
        outputValid: null,
        outputErrors: [],
        error: outcome.error,
        diff: null,
        durationMs: outcome.durationMs,
      };
    }
    const { output, durationMs } = outcome.result;
    const outputCheck = await this.schemas.validate(target, output);
    const diff = test.expectedOutput === null ? null : compare(target, test.expectedOutput, output);
    return {
      ...base,
      passed: inputCheck.valid && outputCheck.valid && (diff === null || diff.length === 0),
      output,
      outputValid: outputCheck.valid,
      outputErrors: outputCheck.errors,
      error: null,
      diff,
      durationMs,
    };
  }
}

/** The differences between the expected and the actual output, both read the same way. */
function compare(target: ResolvedSide, expected: string, actual: string): OutputDifference[] {
  const read = (text: string): { ok: true; value: unknown } | { ok: false } => {
    try {
      if (target.side.format === 'JSON') return { ok: true, value: JSON.parse(text) as unknown };
      const { root, types, expand } = target.side;
      if (!root) return { ok: false };
      return { ok: true, value: xmlToJson(text, root, { types, expand }) };
    } catch {
      return { ok: false };
    }
  };
  const want = read(expected);
  const got = read(actual);
  if (!want.ok || !got.ok) {
    return expected.trim() === actual.trim() ? [] : [{ path: '', op: 'changed', expected, actual }];
  }
  return outputDiff(want.value, got.value);
}
