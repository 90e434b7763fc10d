import { SchemaInvalidError } from '../problems/schema-problems';

export interface CompiledSchemaCacheOptions {
  /** Budget for the estimated size of everything cached. */
  maxBytes: number;
  /** How long a compile that failed with a SchemaInvalidError is remembered. */
  failureTtlMs: number;
}

const DEFAULTS: CompiledSchemaCacheOptions = {
  maxBytes: 512 * 1024 * 1024,
  failureTtlMs: 10_000,
};

interface Entry<T> {
  value: T;
  bytes: number;
  /** Callers currently using the value; disposal waits for them. */
  leases: number;
  evicted: boolean;
}

/**
 * Compiled schemas by key (one key per schema version: `assetId@version`): compile once,
 * validate many. Least recently used entries go when the estimated size passes the budget;
 * concurrent requests for a key share one compile; a compile that failed is remembered only
 * briefly; an entry in use is disposed only when its last user is done.
 */
export class CompiledSchemaCache<T> {
  private readonly options: CompiledSchemaCacheOptions;
  private readonly entries = new Map<string, Entry<T>>();
  /** Compiles running, with how many callers wait for each (their leases start at once). */
  private readonly inflight = new Map<string, { promise: Promise<Entry<T>>; waiters: number }>();
  private readonly failures = new Map<string, { error: unknown; until: number }>();
  /** Bumped by invalidation, so a compile that was running then is not stored. */
  private readonly generations = new Map<string, number>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly sizeOf: (value: T) => number,
    private readonly dispose: (value: T) => void,
    options: Partial<CompiledSchemaCacheOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * Runs `use` with the compiled value for `key`, compiling it with `compile` when absent. The
   * value stays valid until `use` settles, even if it is evicted or invalidated meanwhile.
   */
  async use<R>(
    key: string,
    compile: () => Promise<T>,
    use: (value: T) => Promise<R> | R,
  ): Promise<R> {
    const entry = await this.acquire(key, compile);
    try {
      return await use(entry.value);
    } finally {
      entry.leases -= 1;
      if (entry.evicted && entry.leases === 0) this.dispose(entry.value);
    }
  }

  /** Drops a key (its schema changed); a compile running for it is not stored. */
  invalidate(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.failures.delete(key);
    const entry = this.entries.get(key);
    if (entry) this.evict(key, entry);
  }

  /** Drops every key starting with `prefix` (all versions of one asset). */
  invalidatePrefix(prefix: string): void {
    const keys = new Set([
      ...this.entries.keys(),
      ...this.inflight.keys(),
      ...this.failures.keys(),
    ]);
    for (const key of keys) if (key.startsWith(prefix)) this.invalidate(key);
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.invalidate(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  stats(): { entries: number; bytes: number; hits: number; misses: number } {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  private async acquire(key: string, compile: () => Promise<T>): Promise<Entry<T>> {
    const cached = this.entries.get(key);
    if (cached) {
      this.hits += 1;
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, cached);
      cached.leases += 1;
      return cached;
    }
    const failure = this.failures.get(key);
    if (failure && failure.until > Date.now()) throw failure.error;
    this.failures.delete(key);
    let pending = this.inflight.get(key);
    if (!pending) {
      this.misses += 1;
      const started = { promise: Promise.resolve() as unknown as Promise<Entry<T>>, waiters: 0 };
      this.inflight.set(key, started);
      started.promise = this.load(key, compile, started);
      pending = started;
    }
    pending.waiters += 1;
    return pending.promise;
  }

  private async load(
    key: string,
    compile: () => Promise<T>,
    pending: { waiters: number },
  ): Promise<Entry<T>> {
    const generation = this.generations.get(key) ?? 0;
    try {
      const value = await compile();
      // Every waiting caller holds a lease from now on, before anything can evict the entry.
      const entry: Entry<T> = {
        value,
        bytes: this.sizeOf(value),
        leases: pending.waiters,
        evicted: false,
      };
      if ((this.generations.get(key) ?? 0) === generation) {
        this.entries.set(key, entry);
        this.bytes += entry.bytes;
        this.shrink(key);
      } else {
        entry.evicted = true; // invalidated while compiling: serve this caller, then dispose
      }
      return entry;
    } catch (error) {
      if (error instanceof SchemaInvalidError && (this.generations.get(key) ?? 0) === generation) {
        this.failures.set(key, { error, until: Date.now() + this.options.failureTtlMs });
      }
      throw error;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Evicts least recently used entries (never `keep`) until the budget holds. */
  private shrink(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.bytes <= this.options.maxBytes) return;
      if (key !== keep) this.evict(key, entry);
    }
  }

  private evict(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    entry.evicted = true;
    if (entry.leases === 0) this.dispose(entry.value);
  }
}
