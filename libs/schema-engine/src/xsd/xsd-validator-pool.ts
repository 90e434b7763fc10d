import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { WorkerPool, type WorkerPoolOptions } from '../workers/worker-pool';

/** A file of a compile, addressed by the URL libxml2 resolves `schemaLocation`s against. */
export interface XsdEngineFile {
  url: string;
  text: string;
}

/** A libxml2 diagnostic; `url` names the file for compile diagnostics. */
export interface XsdEngineDiagnostic {
  message: string;
  /** 1 warning, 2 error, 3 fatal. */
  level: number;
  url?: string;
  line?: number;
  column?: number;
  /** XPath of the offending node, when libxml2 knows it. */
  path?: string;
}

export interface XsdEngineCompileResult {
  ok: boolean;
  diagnostics: XsdEngineDiagnostic[];
}

export interface XsdEngineValidation {
  valid: boolean;
  errors: XsdEngineDiagnostic[];
}

export interface XsdValidateOptions {
  /** The payload's element (root, or SOAP Body content) must be this one. */
  root?: { namespace?: string; name: string };
  /** Validate the first child of the Body when the payload is a SOAP 1.1/1.2 Envelope. */
  soapEnvelope?: boolean;
}

export interface XsdValidatorPoolOptions extends WorkerPoolOptions {
  /** Module specifier the worker imports libxml2-wasm from. */
  module: string;
}

const DEFAULTS: XsdValidatorPoolOptions = {
  // One per core (up to 4): a hot schema is replicated into each, so throughput scales.
  workers: Math.max(1, Math.min(4, availableParallelism())),
  validateTimeoutMs: 10_000,
  compileTimeoutMs: 120_000,
  module: 'libxml2-wasm',
};

const WORKER_FILE = join(__dirname, 'xsd-validator.worker.mjs');

/**
 * Compiled XSDs held in a few worker threads running libxml2-wasm (see worker-pool.ts): compile
 * once (~150-400 ms for UBL), validate many (well under a millisecond each). libxml2 validates
 * with automata, so patterns (`xs:pattern`) run in linear time; the time limit covers the rest.
 */
export class XsdValidatorPool {
  private readonly pool: WorkerPool;

  constructor(options: Partial<XsdValidatorPoolOptions> = {}) {
    const { module, ...pool } = { ...DEFAULTS, ...options };
    this.pool = new WorkerPool(
      {
        name: 'XSD',
        start: () => new Worker(WORKER_FILE, { workerData: { module } }),
        fatal: (error) =>
          /Cannot find (package|module)/.test(error.message)
            ? new Error(
                `XSD validation needs the libxml2-wasm package (${error.message.split('\n')[0]})`,
              )
            : undefined,
      },
      pool,
    );
  }

  /**
   * Compiles `mainUrl` (which may import/include the other files by relative URL). With
   * `keep`, the compiled schema stays under `key` for {@link validate}; otherwise this only
   * reports the diagnostics.
   */
  async compile(
    key: string,
    mainUrl: string,
    files: XsdEngineFile[],
    options: { keep: boolean } = { keep: true },
  ): Promise<XsdEngineCompileResult> {
    const reply = await this.pool.compile(key, { mainUrl, files }, options);
    return {
      ok: reply.ok ?? false,
      diagnostics: (reply.diagnostics ?? []) as XsdEngineDiagnostic[],
    };
  }

  /** Validates one XML document against the schema compiled under `key`. */
  async validate(
    key: string,
    xml: string,
    options: XsdValidateOptions = {},
  ): Promise<XsdEngineValidation> {
    const reply = await this.pool.validate(key, {
      xml,
      root: options.root,
      soapEnvelope: options.soapEnvelope,
    });
    return {
      valid: (reply['valid'] as boolean | undefined) ?? false,
      errors: (reply['errors'] as XsdEngineDiagnostic[] | undefined) ?? [],
    };
  }

  /** Forgets a compiled schema (a cache eviction, a new version). */
  release(key: string): void {
    this.pool.release(key);
  }

  has(key: string): boolean {
    return this.pool.has(key);
  }

  /** Stops every worker; pending work is rejected. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
