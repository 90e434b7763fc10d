import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';

import {
  CanonicalError,
  MappingLimitError,
  MappingRunner,
  MappingRuntimeError,
  type MappingDefinition,
  type TransformResult,
} from '@integrixs/mapping-engine';

import { APP_CONFIG, type AppConfig } from '../core/config/app-config';
import { type MappingRunErrorDto } from './dto/mapping-test.dto';

/** How many prepared mappings the workers keep (least recently used go first). */
const MAX_PREPARED = 200;

/** A transformation that did not produce an output, as the test answer reports it. */
export type RunOutcome =
  | { ok: true; result: TransformResult }
  | { ok: false; error: MappingRunErrorDto; durationMs: number };

/**
 * Runs mappings in worker threads (MappingRunner) under the configured time limit and heap cap
 * (MAPPING_TIMEOUT_MS, MAPPING_MAX_MEMORY_MB), inputs capped at MAX_BODY_BYTES. A mapping is
 * prepared in the workers once per key (mapping version + schema versions) and kept while used.
 */
@Injectable()
export class MappingRuns implements OnModuleDestroy {
  private readonly runner: MappingRunner;
  private readonly prepared = new Map<string, Promise<unknown>>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.runner = new MappingRunner({
      workers: config.mappingWorkers,
      timeoutMs: config.mappingTimeoutMs,
      maxMemoryMb: config.mappingMaxMemoryMb,
      maxInputBytes: config.bodyLimitBytes,
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.close();
  }

  /** Runs `definition` (prepared under `key`, which starts with the mapping's id) on `input`. */
  async run(key: string, definition: MappingDefinition, input: string): Promise<RunOutcome> {
    const started = performance.now();
    try {
      await this.prepare(key, definition);
      return { ok: true, result: await this.runner.transform(key, input) };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return { ok: false, error: failure, durationMs: performance.now() - started };
    }
  }

  /** Forgets what was prepared for a mapping (after it changed or was deleted). */
  forget(mappingId: string): void {
    for (const key of [...this.prepared.keys()]) {
      if (key.startsWith(`${mappingId}@`)) this.drop(key);
    }
  }

  private async prepare(key: string, definition: MappingDefinition): Promise<void> {
    let preparing = this.prepared.get(key);
    if (preparing) {
      this.prepared.delete(key);
      this.prepared.set(key, preparing);
    } else {
      const oldest = this.prepared.keys().next();
      if (this.prepared.size >= MAX_PREPARED && !oldest.done) this.drop(oldest.value);
      preparing = this.runner.prepare(key, definition);
      this.prepared.set(key, preparing);
    }
    try {
      await preparing;
    } catch (error) {
      if (this.prepared.get(key) === preparing) this.drop(key);
      throw error;
    }
  }

  private drop(key: string): void {
    this.prepared.delete(key);
    this.runner.release(key);
  }
}

/** A run's failure as the test answer reports it; undefined: not the mapping's fault. */
function failureOf(error: unknown): MappingRunErrorDto | undefined {
  if (error instanceof MappingLimitError) {
    const code =
      error.limit === 'time'
        ? 'time_limit'
        : error.limit === 'memory'
          ? 'memory_limit'
          : 'input_too_large';
    return { code, message: error.message };
  }
  if (error instanceof MappingRuntimeError) {
    const unreadable = /^the input is not accepted/.test(error.message);
    return {
      code: unreadable ? 'input_unreadable' : 'runtime_error',
      message: error.message,
      ...(error.location !== undefined && { location: error.location }),
      ...(error.position !== undefined && { position: error.position }),
    };
  }
  if (error instanceof CanonicalError) {
    // Reading the input (not XML, another document element) or writing the output.
    const unreadable = /^the (payload|document element)/.test(error.message);
    return { code: unreadable ? 'input_unreadable' : 'runtime_error', message: error.message };
  }
  return undefined;
}
