import { availableParallelism } from 'node:os';

import {
  PayloadTooComplexError,
  startModuleWorker,
  WorkerPool,
  type SchemaField,
  type WorkerReply,
} from '@integrixs/schema-engine';

import { CanonicalError } from '../canonical/canonical-error';
import {
  MappingCompileError,
  MappingRuntimeError,
  type MappingProblem,
} from '../jsonata/mapping-model';
import { type Expansions } from './evaluate';
import {
  compileDefinition,
  DEFAULT_TRANSFORM_LIMITS,
  readInput,
  writeOutput,
  type MappingDefinition,
  type TransformLimits,
} from './payload-io';

export interface MappingRunnerOptions extends TransformLimits {
  workers: number;
  /** A transformation running longer is stopped (its worker terminated) and reported. */
  timeoutMs: number;
  compileTimeoutMs: number;
  /** V8 heap cap of each worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxMemoryMb: number;
}

const DEFAULTS: MappingRunnerOptions = {
  ...DEFAULT_TRANSFORM_LIMITS,
  workers: Math.max(1, Math.min(4, availableParallelism())),
  timeoutMs: 5_000,
  compileTimeoutMs: 30_000,
  maxMemoryMb: 256,
};

/** Rounds of "expand these source fields" a worker may ask for on one input. */
const MAX_EXPANSION_ROUNDS = 16;

interface WorkerFailure {
  name?: string;
  message: string;
  location?: string;
  position?: number;
  path?: string;
}

/** A failure in the worker as the error the caller would have seen in process. */
function failureError(failure: WorkerFailure): Error {
  if (failure.name === 'CanonicalError' && failure.path !== undefined) {
    const suffix = ` (at ${failure.path})`;
    const message = failure.message.endsWith(suffix)
      ? failure.message.slice(0, -suffix.length)
      : failure.message;
    return new CanonicalError(message, failure.path);
  }
  // The message already starts with the location (`rules[2]: …`).
  return new MappingRuntimeError(failure.message, undefined, failure.position);
}

/** A transformation stopped at a limit: time, memory, input size. */
export class MappingLimitError extends Error {
  override readonly name = 'MappingLimitError';

  constructor(
    message: string,
    readonly limit: 'time' | 'memory' | 'input',
  ) {
    super(message);
  }
}

export interface TransformResult {
  output: string;
  durationMs: number;
}

/**
 * Runs mappings in worker threads, never on the caller's event loop: a mapping is prepared once
 * under a key ({@link prepare}: compile errors → MappingCompileError, warnings returned), then
 * {@link transform} runs it under a time limit and a memory cap; a runaway expression or
 * stylesheet is stopped (its worker replaced) and reported as MappingLimitError.
 */
export class MappingRunner {
  private readonly pool: WorkerPool;
  private readonly options: MappingRunnerOptions;
  private readonly definitions = new Map<string, MappingDefinition>();
  /** Per key: the source fields expanded for the workers so far. */
  private readonly expansions = new Map<string, Expansions>();

  constructor(options: Partial<MappingRunnerOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const { maxMemoryMb } = this.options;
    this.pool = new WorkerPool(
      {
        name: 'mapping',
        start: () =>
          startModuleWorker(
            __filename,
            'mapping.worker',
            {},
            { maxOldGenerationSizeMb: maxMemoryMb, maxYoungGenerationSizeMb: 32 },
          ),
        // A worker that cannot load its modules never will: say so instead of restarting it.
        fatal: (error) =>
          /Cannot find module|did not self-register|ERR_DLOPEN/.test(error.message)
            ? new Error(`the mapping worker cannot start: ${error.message}`)
            : undefined,
      },
      {
        workers: this.options.workers,
        validateTimeoutMs: this.options.timeoutMs,
        compileTimeoutMs: this.options.compileTimeoutMs,
      },
    );
  }

  /** Compiles a mapping into the workers under `key`; its warnings, or MappingCompileError. */
  async prepare(key: string, definition: MappingDefinition): Promise<MappingProblem[]> {
    // Checked here (errors and warnings need the structures), compiled again in the worker.
    const { warnings, worker } = compileDefinition(definition, this.options);
    const reply = await this.guard(() => this.pool.compile(key, { definition: worker }));
    if (!reply.ok) throw new MappingCompileError((reply.diagnostics ?? []) as MappingProblem[]);
    this.definitions.set(key, definition);
    this.expansions.set(key, {});
    return warnings;
  }

  /** Runs the mapping prepared under `key` on one input payload. */
  async transform(key: string, input: string): Promise<TransformResult> {
    const bytes =
      input.length * 3 <= this.options.maxInputBytes ? 0 : Buffer.byteLength(input, 'utf8');
    if (bytes > this.options.maxInputBytes) {
      throw new MappingLimitError(
        `the input is ${bytes} bytes; at most ${this.options.maxInputBytes} are accepted`,
        'input',
      );
    }
    const definition = this.definitions.get(key);
    if (!definition) throw new Error(`no mapping prepared under key ${key}`);
    const started = performance.now();
    const document = readInput(definition, input, this.options);
    let reply = await this.guard(() => this.pool.validate(key, { input: document }));
    // The input reached source fields the structure cut short: expand them here (the compiled
    // schema is on this side) and run again; each worker learns them once.
    for (let round = 0; reply['needs'] && round < MAX_EXPANSION_ROUNDS; round++) {
      const expansions = this.expand(key, definition, reply['needs'] as SchemaField[]);
      reply = await this.guard(() => this.pool.validate(key, { input: document, expansions }));
    }
    if (reply['needs']) {
      throw new MappingRuntimeError('the source structure could not be expanded for this input');
    }
    const failure = reply['failure'] as WorkerFailure | undefined;
    if (failure) throw failureError(failure);
    const output = writeOutput(
      definition,
      { output: reply['output'], text: reply['text'] as string | undefined },
      this.options,
    );
    return { output, durationMs: performance.now() - started };
  }

  /** Every expansion known for `key`, with those of `fields` added. */
  private expand(key: string, definition: MappingDefinition, fields: SchemaField[]): Expansions {
    const known = this.expansions.get(key) ?? {};
    for (const field of fields) {
      if (known[field.path] === undefined) {
        known[field.path] = definition.source.expand?.(field) ?? null;
      }
    }
    this.expansions.set(key, known);
    return known;
  }

  release(key: string): void {
    this.definitions.delete(key);
    this.expansions.delete(key);
    this.pool.release(key);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** The pool's limit errors, said in a mapping's terms. */
  private async guard(run: () => Promise<WorkerReply>): Promise<WorkerReply> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof PayloadTooComplexError) {
        throw new MappingLimitError(
          `the transformation did not finish within ${this.options.timeoutMs} ms and was stopped`,
          'time',
        );
      }
      const code = (error as { code?: string }).code;
      if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new MappingLimitError(
          `the transformation needed more than ${this.options.maxMemoryMb} MB and was stopped`,
          'memory',
        );
      }
      throw error;
    }
  }
}
