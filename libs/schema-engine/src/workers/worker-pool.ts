import { type Worker } from 'node:worker_threads';

import { PayloadTooComplexError } from '../problems/schema-problems';

/**
 * Compile-once / validate-many worker threads, shared by the XSD and the JSON Schema validators:
 * a schema is compiled in one worker, and into more of them (in the background) when that one
 * has a backlog, so a hot schema uses every worker. The pool keeps what it needs to recompile
 * transparently when a worker had to be replaced: a validation that runs past its time gets
 * its worker terminated (the only way to stop a synchronous validator midway) and is answered
 * with PayloadTooComplexError, while the event loop stays free the whole time.
 *
 * Protocol: the worker posts `{ ready: true }` once, then answers each `{ id, op, key, ... }`
 * in order with `{ id, ... }`: `compile` → `{ ok, diagnostics }`, `validate` → the result or
 * `{ missing: true }` when it does not hold the key, `release` → `{}`, `{ error }` on a bug.
 */
export interface WorkerPoolOptions {
  /** Worker threads; a schema is compiled in one of them, and in more while it is busy. */
  workers: number;
  /** A validation running longer than this is abandoned and its worker replaced. */
  validateTimeoutMs: number;
  compileTimeoutMs: number;
}

export interface WorkerKind {
  /** What the workers validate, for messages: `XSD`, `JSON Schema`. */
  name: string;
  start(): Worker;
  /**
   * The error to give every caller when a worker cannot start at all (a missing package), or
   * undefined to keep restarting it.
   */
  fatal?(error: Error): Error | undefined;
}

export type WorkerReply = {
  id?: number;
  ready?: boolean;
  error?: string;
  missing?: boolean;
  ok?: boolean;
  diagnostics?: unknown[];
} & Record<string, unknown>;

const PIPELINE_DEPTH = 4;

type Reply = WorkerReply;

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
  /** The compile message, kept to compile the schema again in another or a new worker. */
  source: Record<string, unknown>;
  /** Workers that hold (or are compiling) this schema: one, more when it is busy. */
  readonly slots: Slot[];
  readonly compiling: Map<Slot, Promise<WorkerReply>>;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly registered = new Map<string, Registered>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly kind: WorkerKind,
    private readonly options: WorkerPoolOptions,
  ) {}

  /**
   * Compiles a schema (`source` is the worker's compile message). With `keep`, the compiled
   * schema stays under `key` for {@link validate}; otherwise this only reports the diagnostics.
   */
  async compile(
    key: string,
    source: Record<string, unknown>,
    options: { keep: boolean } = { keep: true },
  ): Promise<WorkerReply> {
    if (!options.keep) {
      return this.run(
        this.pickSlot(),
        { ...source, op: 'compile', key, keep: false },
        this.options.compileTimeoutMs,
      );
    }
    this.release(key);
    const entry: Registered = {
      workerKey: `${key}#${this.nextId++}`,
      source,
      slots: [this.pickSlot()],
      compiling: new Map(),
    };
    this.registered.set(key, entry);
    const result = await this.ensureOn(key, entry, entry.slots[0]);
    if (!result.ok) this.release(key);
    return result;
  }

  /**
   * Runs one validation (`message` is the worker's validate message without op and key)
   * against the schema compiled under `key`; PayloadTooComplexError past the time limit.
   */
  async validate(key: string, message: Record<string, unknown>): Promise<WorkerReply> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const entry = this.registered.get(key);
      if (!entry) throw new Error(`no compiled schema under key ${key}`);
      const found = this.slotFor(key, entry);
      const slot = found instanceof Slot ? found : await found;
      const reply = await this.run(
        slot,
        { ...message, op: 'validate', key: entry.workerKey },
        this.options.validateTimeoutMs,
      );
      if (reply.missing) {
        slot.keys.delete(entry.workerKey);
        continue;
      }
      return reply;
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
        const error = new Error(`the ${this.kind.name} validator pool was closed`);
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
  private ensureOn(key: string, entry: Registered, slot: Slot): Promise<WorkerReply> {
    if (slot.keys.has(entry.workerKey)) return Promise.resolve({ ok: true, diagnostics: [] });
    let compiling = entry.compiling.get(slot);
    if (!compiling) {
      compiling = this.run(
        slot,
        { ...entry.source, op: 'compile', key: entry.workerKey, keep: true },
        this.options.compileTimeoutMs,
      )
        .then((reply) => {
          const ok = reply.ok ?? false;
          if (ok && this.registered.get(key) === entry) slot.keys.add(entry.workerKey);
          else if (ok) this.releaseIn(slot, entry.workerKey); // released while compiling
          return { ...reply, ok, diagnostics: reply.diagnostics ?? [] };
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
    if (this.closed) throw new Error(`the ${this.kind.name} validator pool was closed`);
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
    const worker = this.kind.start();
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
      if (reply.error) task.reject(new Error(`${this.kind.name} worker: ${reply.error}`));
      else task.resolve(reply);
      this.dispatch(slot);
    });
    worker.on('error', (error) => this.failed(slot, worker, error));
    worker.on('exit', (code) => {
      if (slot.worker === worker && !this.closed) {
        this.failed(
          slot,
          worker,
          new Error(`the ${this.kind.name} worker exited with code ${code}`),
        );
      }
    });
  }

  private failed(slot: Slot, worker: Worker, error: Error): void {
    if (slot.worker !== worker) return;
    this.retire(slot);
    const fatal = this.kind.fatal?.(error);
    if (fatal) {
      // The worker can never start (a missing package): say so once, instead of restarting.
      slot.startupError = fatal;
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
        : new Error(`compiling the ${this.kind.name} took longer than ${task.timeoutMs} ms`),
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
