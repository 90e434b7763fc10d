import { availableParallelism } from 'node:os';

import { startModuleWorker } from '../workers/module-worker';
import { WorkerPool, type WorkerPoolOptions } from '../workers/worker-pool';
import { type AjvInput, type JsonValidationResult } from './json-ajv';
import { DEFAULT_JSON_LIMITS, type JsonLimits } from './json-safety';

export interface JsonValidatorPoolOptions extends WorkerPoolOptions {
  /** Caps for JSON text parsed in the workers. */
  limits: JsonLimits;
  maxErrors: number;
}

const DEFAULTS: JsonValidatorPoolOptions = {
  workers: Math.max(1, Math.min(4, availableParallelism())),
  validateTimeoutMs: 10_000,
  compileTimeoutMs: 120_000,
  limits: DEFAULT_JSON_LIMITS,
  maxErrors: 100,
};

/**
 * JSON Schema validation off the event loop, under a time limit (see worker-pool.ts): for the
 * payloads the linear bound does not clear for inline validation (json-validation-policy.ts).
 * A schema is compiled into a worker the first time one of its payloads needs one.
 */
export class JsonValidatorPool {
  private readonly pool: WorkerPool;
  private readonly compiling = new Map<string, Promise<void>>();

  constructor(options: Partial<JsonValidatorPoolOptions> = {}) {
    const { limits, maxErrors, ...pool } = { ...DEFAULTS, ...options };
    this.pool = new WorkerPool(
      {
        name: 'JSON Schema',
        start: () => startModuleWorker(__filename, 'json-validator.worker', { limits, maxErrors }),
      },
      pool,
    );
  }

  /**
   * Validates JSON text (parsed in the worker, within the caps) or a parsed value against the
   * schema `input` describes, compiled under `key` the first time.
   */
  async validate(
    key: string,
    input: AjvInput,
    payload: { text: string } | { value: unknown },
  ): Promise<JsonValidationResult> {
    await this.ensure(key, input);
    const reply = await this.pool.validate(key, payload);
    return {
      valid: (reply['valid'] as boolean | undefined) ?? false,
      errors: (reply['errors'] as JsonValidationResult['errors'] | undefined) ?? [],
    };
  }

  private ensure(key: string, input: AjvInput): Promise<void> {
    if (this.pool.has(key)) return Promise.resolve();
    let compiling = this.compiling.get(key);
    if (!compiling) {
      compiling = this.pool
        .compile(key, { input })
        .then((reply) => {
          if (!reply.ok) {
            const why = (reply.diagnostics as { message: string }[] | undefined)?.[0]?.message;
            throw new Error(`the JSON Schema did not compile in a worker: ${why ?? 'unknown'}`);
          }
        })
        .finally(() => this.compiling.delete(key));
      this.compiling.set(key, compiling);
    }
    return compiling;
  }

  release(key: string): void {
    this.pool.release(key);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
