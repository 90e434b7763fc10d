import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { PayloadTooComplexError } from './schema-problems';

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

export interface XsdValidatorPoolOptions {
  /** Worker threads; a schema is compiled in one of them, and in more while it is busy. */
  workers: number;
  /** A validation running longer than this is abandoned and its worker replaced. */
  validateTimeoutMs: number;
  compileTimeoutMs: number;
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
const PIPELINE_DEPTH = 4;

type Reply = { id?: number; ready?: boolean; error?: string; missing?: boolean } & Partial<
  XsdEngineCompileResult & XsdEngineValidation
>;

interface Task {
  id: number;
  message: Record<string, unknown>;
  timeoutMs: number;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
}

/** Work queued or running in a worker. */
function load(slot: Slot): number {
  return slot.queue.length + slot.inflight.length;
}

class Slot {
  worker?: Worker;
  ready = false;
  readonly queue: Task[] = [];
  /** Posted to the worker, oldest first; the worker runs them in this order. */
  readonly inflight: Task[] = [];
  /** Fires when the oldest in-flight task runs past its timeout. */
  timer?: NodeJS.Timeout;
  /** Keys compiled in the current worker (cleared when it is replaced). */
  readonly keys = new Set<string>();
  startupError?: Error;
}

interface Registered {
  /** Unique per compile, so a late release of an older compile never hits a newer one. */
  workerKey: string;
  mainUrl: string;
  files: XsdEngineFile[];
  /** Workers that hold (or are compiling) this schema: one, more when it is busy. */
  readonly slots: Slot[];
  readonly compiling: Map<Slot, Promise<XsdEngineCompileResult>>;
}

/**
 * Compiled XSDs held in a few worker threads running libxml2-wasm: compile once (~150-400 ms
 * for UBL), validate many (well under a millisecond each). A schema is compiled in one worker,
 * and into more of them (in the background) when that one has a backlog, so a hot schema uses
 * every worker. The pool keeps the files so it can recompile transparently when a worker had to
 * be replaced (a payload that ran past the timeout gets its worker terminated — the only way to
 * stop libxml2 midway).
 */
export class XsdValidatorPool {
  private readonly options: XsdValidatorPoolOptions;
  private readonly slots: Slot[] = [];
  private readonly registered = new Map<string, Registered>();
  private nextId = 1;
  private closed = false;

  constructor(options: Partial<XsdValidatorPoolOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
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
    if (!options.keep) {
      const reply = await this.run(
        this.pickSlot(),
        { op: 'compile', key, mainUrl, files, keep: false },
        this.options.compileTimeoutMs,
      );
      return { ok: reply.ok ?? false, diagnostics: reply.diagnostics ?? [] };
    }
    this.release(key);
    const entry: Registered = {
      workerKey: `${key}#${this.nextId++}`,
      mainUrl,
      files,
      slots: [this.pickSlot()],
      compiling: new Map(),
    };
    this.registered.set(key, entry);
    const result = await this.ensureOn(key, entry, entry.slots[0]);
    if (!result.ok) this.release(key);
    return result;
  }

  /** Validates one XML document against the schema compiled under `key`. */
  async validate(
    key: string,
    xml: string,
    options: XsdValidateOptions = {},
  ): Promise<XsdEngineValidation> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const entry = this.registered.get(key);
      if (!entry) throw new Error(`no compiled schema under key ${key}`);
      const found = this.slotFor(key, entry);
      const slot = found instanceof Slot ? found : await found;
      const reply = await this.run(
        slot,
        {
          op: 'validate',
          key: entry.workerKey,
          xml,
          root: options.root,
          soapEnvelope: options.soapEnvelope,
        },
        this.options.validateTimeoutMs,
      );
      if (reply.missing) {
        slot.keys.delete(entry.workerKey);
        continue;
      }
      return { valid: reply.valid ?? false, errors: reply.errors ?? [] };
    }
    throw new Error(`the schema under key ${key} could not be loaded into a worker`);
  }

  /** Forgets a compiled schema (a cache eviction, a new version). */
  release(key: string): void {
    const entry = this.registered.get(key);
    if (!entry) return;
    this.registered.delete(key);
    for (const slot of entry.slots) {
      if (slot.keys.delete(entry.workerKey)) this.releaseIn(slot, entry.workerKey);
    }
  }

  has(key: string): boolean {
    return this.registered.has(key);
  }

  /** Stops every worker; pending work is rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.registered.clear();
    await Promise.all(
      this.slots.map(async (slot) => {
        const error = new Error('the XSD validator pool was closed');
        clearTimeout(slot.timer);
        for (const task of [...slot.inflight.splice(0), ...slot.queue.splice(0)]) {
          task.reject(error);
        }
        const worker = slot.worker;
        slot.worker = undefined;
        if (worker) await worker.terminate();
      }),
    );
    this.slots.length = 0;
  }

  /**
   * The least busy worker holding the schema, compiling it first if none does. Synchronous
   * when a worker has it, so the task is queued at once and the next caller sees the load.
   */
  private slotFor(key: string, entry: Registered): Slot | Promise<Slot> {
    const ready = entry.slots.filter((s) => s.keys.has(entry.workerKey));
    if (ready.length === 0) {
      return this.ensureOn(key, entry, entry.slots[0]).then((compiled) => {
        if (!compiled.ok) throw new Error(`the schema under key ${key} no longer compiles`);
        return entry.slots[0];
      });
    }
    const slot = ready.reduce((best, s) => (load(s) < load(best) ? s : best));
    // Even the least busy holder has a full pipeline: compile a replica in a spare worker.
    if (load(slot) >= PIPELINE_DEPTH && entry.slots.length < this.options.workers) {
      const spare = this.pickSlot(entry.slots);
      if (spare) {
        entry.slots.push(spare);
        this.ensureOn(key, entry, spare).catch(() => undefined);
      }
    }
    return slot;
  }

  /** Compiles the schema in `slot` unless it is there already (or being compiled there). */
  private ensureOn(key: string, entry: Registered, slot: Slot): Promise<XsdEngineCompileResult> {
    if (slot.keys.has(entry.workerKey)) return Promise.resolve({ ok: true, diagnostics: [] });
    let compiling = entry.compiling.get(slot);
    if (!compiling) {
      compiling = this.run(
        slot,
        {
          op: 'compile',
          key: entry.workerKey,
          mainUrl: entry.mainUrl,
          files: entry.files,
          keep: true,
        },
        this.options.compileTimeoutMs,
      )
        .then((reply) => {
          const ok = reply.ok ?? false;
          if (ok && this.registered.get(key) === entry) slot.keys.add(entry.workerKey);
          else if (ok) this.releaseIn(slot, entry.workerKey); // released while compiling
          return { ok, diagnostics: reply.diagnostics ?? [] };
        })
        .finally(() => entry.compiling.delete(slot));
      entry.compiling.set(slot, compiling);
    }
    return compiling;
  }

  private releaseIn(slot: Slot, workerKey: string): void {
    this.run(slot, { op: 'release', key: workerKey }, this.options.compileTimeoutMs).catch(
      () => undefined,
    );
  }

  /** A new worker while there are fewer than allowed, else the one with the fewest schemas. */
  private pickSlot(): Slot;
  private pickSlot(exclude: Slot[]): Slot | undefined;
  private pickSlot(exclude: Slot[] = []): Slot | undefined {
    if (this.closed) throw new Error('the XSD validator pool was closed');
    if (this.slots.length < this.options.workers) {
      const slot = new Slot();
      this.slots.push(slot);
      return slot;
    }
    const candidates = this.slots.filter((s) => !exclude.includes(s));
    if (candidates.length === 0) return undefined;
    return candidates.reduce((best, slot) =>
      slot.keys.size < best.keys.size ||
      (slot.keys.size === best.keys.size && load(slot) < load(best))
        ? slot
        : best,
    );
  }

  private run(slot: Slot, message: Record<string, unknown>, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (slot.startupError) {
        reject(slot.startupError);
        return;
      }
      slot.queue.push({ id: this.nextId++, message, timeoutMs, resolve, reject });
      this.dispatch(slot);
    });
  }

  private dispatch(slot: Slot): void {
    if (this.closed) return;
    if (!slot.worker) this.start(slot);
    const worker = slot.worker as Worker;
    if (!slot.ready) return;
    // A few tasks in flight keep the worker busy while replies travel back.
    while (slot.inflight.length < PIPELINE_DEPTH && slot.queue.length > 0) {
      const task = slot.queue.shift() as Task;
      slot.inflight.push(task);
      if (slot.inflight.length === 1) this.watch(slot);
      worker.postMessage({ ...task.message, id: task.id });
    }
    if (slot.inflight.length > 0) worker.ref();
    else worker.unref();
  }

  /** Times the oldest in-flight task, which is the one the worker is running now. */
  private watch(slot: Slot): void {
    clearTimeout(slot.timer);
    const head = slot.inflight[0];
    slot.timer = head ? setTimeout(() => this.timeout(slot, head), head.timeoutMs) : undefined;
  }

  private start(slot: Slot): void {
    const worker = new Worker(WORKER_FILE, { workerData: { module: this.options.module } });
    slot.worker = worker;
    slot.ready = false;
    slot.keys.clear();
    worker.on('message', (reply: Reply) => {
      if (slot.worker !== worker) return;
      if (reply.ready) {
        slot.ready = true;
        this.dispatch(slot);
        return;
      }
      const task = slot.inflight[0];
      if (!task || task.id !== reply.id) return;
      slot.inflight.shift();
      this.watch(slot);
      if (reply.error) task.reject(new Error(`XSD worker: ${reply.error}`));
      else task.resolve(reply);
      this.dispatch(slot);
    });
    worker.on('error', (error) => this.failed(slot, worker, error));
    worker.on('exit', (code) => {
      if (slot.worker === worker && !this.closed) {
        this.failed(slot, worker, new Error(`the XSD worker exited with code ${code}`));
      }
    });
  }

  private failed(slot: Slot, worker: Worker, error: Error): void {
    if (slot.worker !== worker) return;
    this.retire(slot);
    if (/Cannot find (package|module)/.test(error.message)) {
      // libxml2-wasm is missing: say so once, clearly, instead of restarting forever.
      slot.startupError = new Error(
        `XSD validation needs the libxml2-wasm package (${error.message.split('\n')[0]})`,
      );
      for (const task of [...slot.inflight.splice(0), ...slot.queue.splice(0)]) {
        task.reject(slot.startupError);
      }
      return;
    }
    // The task the worker was running is the one that broke it; the others go to a new worker.
    slot.inflight.shift()?.reject(error);
    slot.queue.unshift(...slot.inflight.splice(0));
    if (slot.queue.length > 0) this.dispatch(slot);
  }

  private timeout(slot: Slot, task: Task): void {
    const worker = slot.worker;
    if (!worker || slot.inflight[0] !== task) return;
    this.retire(slot);
    void worker.terminate();
    slot.inflight.shift();
    task.reject(
      task.message['op'] === 'validate'
        ? new PayloadTooComplexError(task.timeoutMs)
        : new Error(`compiling the XSD took longer than ${task.timeoutMs} ms`),
    );
    slot.queue.unshift(...slot.inflight.splice(0));
    if (slot.queue.length > 0) this.dispatch(slot);
  }

  /** Detaches a slot from its worker: its compiled schemas are gone with it. */
  private retire(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.worker = undefined;
    slot.ready = false;
    slot.keys.clear();
  }
}
